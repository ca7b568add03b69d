using McpSharp.Tests.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace McpSharp.AspNetCore.Tests.TestSupport;

/// <summary>A misbehaving "MCP server": raw Kestrel handlers a test scripts, for client edge cases.</summary>
public sealed class ScriptedServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ScriptedServer(WebApplication app, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }

    public System.Collections.Concurrent.ConcurrentQueue<string> Requests { get; } = new();

    public static async Task<ScriptedServer> StartAsync(Func<HttpContext, ScriptedServer, Task> handler)
    {
        var app = LoopbackHost.CreateBuilder().Build();
        ScriptedServer? self = null;
        app.Map("/{**path}", async context =>
        {
            self!.Requests.Enqueue($"{context.Request.Method} {context.Request.Path} session={context.Request.Headers["MCP-Session-Id"]} last={context.Request.Headers["Last-Event-ID"]}");
            await handler(context, self);
        });
        self = new ScriptedServer(app, await LoopbackHost.StartAsync(app));
        return self;
    }

    /// <summary>A server that answers anything but POST with 405 and hands each POST's body to <paramref name="handler"/>.</summary>
    public static Task<ScriptedServer> StartPostOnlyAsync(Func<HttpContext, string, Task> handler) =>
        StartAsync(async (context, _) =>
        {
            if (context.Request.Method != "POST")
            {
                context.Response.StatusCode = 405;
                return;
            }

            await handler(context, await BodyAsync(context));
        });

    public static async Task<string> BodyAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        return await reader.ReadToEndAsync();
    }

    public static async Task WriteJsonAsync(HttpContext context, string json, string? sessionId = null)
    {
        if (sessionId is not null)
        {
            context.Response.Headers["MCP-Session-Id"] = sessionId;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json);
    }

    public static string InitializeResult(string id) =>
        """{"jsonrpc":"2.0","id":ID,"result":{"protocolVersion":"2025-11-25","capabilities":{"tools":{}},"serverInfo":{"name":"scripted","version":"1"}}}""".Replace("ID", id, StringComparison.Ordinal);

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }
}

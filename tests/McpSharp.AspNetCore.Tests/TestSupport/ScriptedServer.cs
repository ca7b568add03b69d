using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

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
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        ScriptedServer? self = null;
        app.Map("/{**path}", async context =>
        {
            self!.Requests.Enqueue($"{context.Request.Method} {context.Request.Path} session={context.Request.Headers["MCP-Session-Id"]} last={context.Request.Headers["Last-Event-ID"]}");
            await handler(context, self);
        });
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new ScriptedServer(app, new Uri(address + "/mcp"));
        return self;
    }

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

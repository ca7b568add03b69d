using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace McpSharp.AspNetCore.Tests.TestSupport;

/// <summary>
/// A minimal scripted MCP server with sessions (s1, s2, ...): answers initialize, ping and tools/call (text
/// <c>ok:&lt;session&gt;</c>) for known sessions, 404 for forgotten ones, and does whatever the test says with GET.
/// Counts what it received, so tests can assert how many sessions a client created.
/// </summary>
public sealed class SessionfulScriptedServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, byte> _live = new(StringComparer.Ordinal);
    private int _sessions;
    private int _initializes;
    private int _gets;
    private int _pings;

    private SessionfulScriptedServer(Func<HttpContext, SessionfulScriptedServer, Task> onGet) => OnGet = onGet;

    public ScriptedServer Http { get; private set; } = null!;

    public Uri Endpoint => Http.Endpoint;

    /// <summary>What a GET gets; the default answers 405.</summary>
    public Func<HttpContext, SessionfulScriptedServer, Task> OnGet { get; }

    /// <summary>Runs after a session answered a request other than initialize; may forget it.</summary>
    public Action<string, SessionfulScriptedServer>? AfterRequest { get; set; }

    /// <summary>Runs after a session's notifications/initialized; may forget it at once.</summary>
    public Action<string, SessionfulScriptedServer>? AfterInitialized { get; set; }

    public int Initializes => Volatile.Read(ref _initializes);

    public int Gets => Volatile.Read(ref _gets);

    public int Pings => Volatile.Read(ref _pings);

    public ConcurrentQueue<string> Calls { get; } = new();

    public static async Task<SessionfulScriptedServer> StartAsync(Func<HttpContext, SessionfulScriptedServer, Task>? onGet = null)
    {
        var self = new SessionfulScriptedServer(onGet ?? (static (context, _) =>
        {
            context.Response.StatusCode = 405;
            return Task.CompletedTask;
        }));
        self.Http = await ScriptedServer.StartAsync((context, _) => self.HandleAsync(context));
        return self;
    }

    public bool IsLive(string? sessionId) => sessionId is not null && _live.ContainsKey(sessionId);

    public void Forget(string sessionId) => _live.TryRemove(sessionId, out _);

    public void ForgetAll() => _live.Clear();

    public static Task NotFoundHtmlAsync(HttpContext context)
    {
        // What Express answers for a path with no route for the method.
        context.Response.StatusCode = 404;
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync("<!DOCTYPE html><html><body><pre>Cannot GET /mcp</pre></body></html>");
    }

    public static Task SessionNotFoundJsonAsync(HttpContext context)
    {
        context.Response.StatusCode = 404;
        return ScriptedServer.WriteJsonAsync(context, """{"jsonrpc":"2.0","error":{"code":-32001,"message":"Session not found"},"id":null}""");
    }

    private async Task HandleAsync(HttpContext context)
    {
        string? session = context.Request.Headers["MCP-Session-Id"];
        switch (context.Request.Method)
        {
            case "GET":
                Interlocked.Increment(ref _gets);
                await OnGet(context, this);
                return;
            case "DELETE":
                context.Response.StatusCode = session is not null && _live.TryRemove(session, out _) ? 200 : 404;
                return;
        }

        using var body = JsonDocument.Parse(await ScriptedServer.BodyAsync(context));
        var root = body.RootElement;
        string method = root.TryGetProperty("method", out var m) ? m.GetString()! : "response";
        string id = root.TryGetProperty("id", out var i) ? i.GetRawText() : "null";
        if (method == "initialize")
        {
            Interlocked.Increment(ref _initializes);
            string created = "s" + Interlocked.Increment(ref _sessions);
            _live[created] = 0;
            await ScriptedServer.WriteJsonAsync(context, ScriptedServer.InitializeResult(id), created);
            return;
        }

        if (!IsLive(session))
        {
            await SessionNotFoundJsonAsync(context);
            return;
        }

        switch (method)
        {
            case "notifications/initialized":
                context.Response.StatusCode = 202;
                AfterInitialized?.Invoke(session!, this);
                return;
            case "ping":
                Interlocked.Increment(ref _pings);
                await ScriptedServer.WriteJsonAsync(context, """{"jsonrpc":"2.0","id":ID,"result":{}}""".Replace("ID", id, StringComparison.Ordinal));
                break;
            case "tools/call":
                Calls.Enqueue(session!);
                await ScriptedServer.WriteJsonAsync(context, """{"jsonrpc":"2.0","id":ID,"result":{"content":[{"type":"text","text":"ok:SESSION"}]}}""".Replace("ID", id, StringComparison.Ordinal).Replace("SESSION", session, StringComparison.Ordinal));
                break;
            default:
                context.Response.StatusCode = 202;
                return;
        }

        AfterRequest?.Invoke(session!, this);
    }

    public ValueTask DisposeAsync() => Http.DisposeAsync();
}

using System.Net;
using McpSharp.AspNetCore.Tests.TestSupport;
using McpSharp.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static McpSharp.AspNetCore.Tests.TestSupport.TestServer;

namespace McpSharp.AspNetCore.Tests;

/// <summary>
/// What an operator reads in the logs: every error answer of the endpoint as a stable event (Debug for a client's
/// mistake, Warning for a limit), and everything logged while a session's request is handled (a tool's own logs too)
/// in a scope naming the session.
/// </summary>
public sealed partial class HttpLoggingTests
{
    [LoggerMessage(1, LogLevel.Information, "inside the tool")]
    private static partial void Inside(ILogger logger);

    private static Task<TestServer> StartAsync(CapturingLoggerProvider capture, Action<McpHttpOptions>? http = null) => TestServer.StartAsync(
        http: http,
        services: s => s.AddLogging(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(capture)));

    [Fact]
    public async Task Error_answers_are_logged_debug_for_client_mistakes_and_warning_for_limits()
    {
        var capture = new CapturingLoggerProvider();
        await using var server = await StartAsync(capture, http => http.MaxRequestBodySize = 64);
        using (var unknown = await server.PostAsync("""{"jsonrpc":"2.0","id":1,"method":"ping"}""", "no-such-session"))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }

        using (var big = await server.PostAsync("""{"jsonrpc":"2.0","id":1,"method":"ping","params":{"padding":"________________________________________________"}}"""))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, big.StatusCode);
        }

        var http = capture.Entries.Where(e => e.Category == "McpSharp.AspNetCore.Http").ToList();
        Assert.Contains(http, e => e.EventId == 130 && e.Level == LogLevel.Debug && e.Message.StartsWith("POST answered 404", StringComparison.Ordinal));
        Assert.Contains(http, e => e.EventId == 131 && e.Level == LogLevel.Warning && e.Message.StartsWith("POST turned away with 413", StringComparison.Ordinal));
    }

    [Fact]
    public async Task What_is_logged_while_a_sessions_request_is_handled_names_the_session()
    {
        var capture = new CapturingLoggerProvider();
        await using var server = await StartAsync(capture);
        var logger = server.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ToolCode");
        server.Server.Tools.Add(new Tool { Name = "logs", InputSchema = Json("""{"type":"object"}""") }, ctx =>
        {
            Inside(logger);
            return ValueTask.FromResult(CallToolResult.FromText("ok"));
        });
        string sid = await server.InitializeAsync();
        using (var call = await server.PostAsync("""{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"logs"}}""", sid))
        {
            Assert.Equal(HttpStatusCode.OK, call.StatusCode);
            await ReadMessagesAsync(call);
        }

        var inside = Assert.Single(capture.Entries, e => e.Message == "inside the tool");
        var scope = Assert.Single(inside.Scopes.OfType<IReadOnlyList<KeyValuePair<string, object?>>>(), s => s.Any(p => p.Key == "McpSessionId"));
        Assert.Equal(sid, scope.Single(p => p.Key == "McpSessionId").Value);
    }
}

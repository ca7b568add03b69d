using McpSharp.Tests.TestSupport;
using System.Net;
using McpSharp.AspNetCore.Tests.TestSupport;
using static McpSharp.AspNetCore.Tests.TestSupport.TestServer;

namespace McpSharp.AspNetCore.Tests;

/// <summary>Stateless mode (T40), JSON response mode, and graceful shutdown.</summary>
public sealed class ModeTests
{
    [Fact]
    public async Task T40_Stateless_mode_issues_no_session_and_serves_every_post_alone()
    {
        await using var server = await TestServer.StartAsync(http => http.SessionMode = McpSessionMode.Stateless);
        using (var init = await server.PostAsync(Init, protocolVersion: null))
        {
            Assert.Equal(HttpStatusCode.OK, init.StatusCode);
            Assert.False(init.Headers.Contains("MCP-Session-Id"));
            Assert.Equal("2025-11-25", (await ReadMessagesAsync(init)).Single().GetProperty("result").GetProperty("protocolVersion").GetString());
        }

        using (var list = await server.PostAsync(List))
        {
            Assert.Equal(HttpStatusCode.OK, list.StatusCode);
            Assert.Equal("echo", (await ReadMessagesAsync(list)).Single().GetProperty("result").GetProperty("tools")[0].GetProperty("name").GetString());
        }

        using (var notification = await server.PostAsync(Initialized))
        {
            Assert.Equal(HttpStatusCode.Accepted, notification.StatusCode);
        }

        Assert.Equal(0, server.Sessions.Count);
        Assert.Empty(server.Server.Sessions);
    }

    [Fact]
    public async Task Stateless_clients_never_see_each_others_version_or_log_level()
    {
        // Issue 12, seam 1: client A initializes with 2025-06-18 and sets its level to emergency; client B's call,
        // under 2025-11-25, must run with its own version and no level (so its info log reaches it).
        var seen = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var server = await TestServer.StartAsync(http => http.SessionMode = McpSessionMode.Stateless, s => s.Tools.Add(
            new McpSharp.Protocol.Tool { Name = "who", InputSchema = Json("""{"type":"object"}""") },
            async ctx =>
            {
                seen.Enqueue($"{ctx.Client.ProtocolVersion}/{ctx.Client.LogLevel?.ToString() ?? "none"}/{ctx.Client.ClientInfo?.Name ?? "anonymous"}");
                await ctx.LogAsync(McpSharp.Protocol.LoggingLevel.Info, "info for this caller");
                return McpSharp.Protocol.CallToolResult.FromText("ok");
            }));

        const string InitA = """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"A","version":"1"}}}""";
        using (var init = await server.PostAsync(InitA, protocolVersion: null))
        {
            Assert.Equal("2025-06-18", (await ReadMessagesAsync(init)).Single().GetProperty("result").GetProperty("protocolVersion").GetString());
        }

        using (var level = await server.PostAsync("""{"jsonrpc":"2.0","id":2,"method":"logging/setLevel","params":{"level":"emergency"}}""", protocolVersion: "2025-06-18"))
        {
            Assert.Equal(HttpStatusCode.OK, level.StatusCode);
        }

        using var call = await server.PostAsync("""{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"who"}}""", protocolVersion: "2025-11-25");
        var messages = await ReadMessagesAsync(call);

        Assert.Equal(["2025-11-25/none/anonymous"], seen);
        Assert.Equal("info for this caller", messages[0].GetProperty("params").GetProperty("data").GetString());
        Assert.Equal("ok", messages[1].GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Empty(server.Server.Sessions);
    }

    [Fact]
    public async Task Stateless_requests_of_different_clients_are_not_throttled_by_a_per_session_limit()
    {
        var release = new TaskCompletionSource();
        int started = 0;
        await using var server = await TestServer.StartAsync(http => http.SessionMode = McpSessionMode.Stateless, s =>
        {
            // Per-session limits this small would refuse the second concurrent request of one session.
            s.Options.JsonRpc.MaxConcurrentRequests = 1;
            s.Options.JsonRpc.MaxQueuedRequests = 0;
            s.Tools.Add(new McpSharp.Protocol.Tool { Name = "wait", InputSchema = Json("""{"type":"object"}""") }, async _ =>
            {
                Interlocked.Increment(ref started);
                await release.Task;
                return McpSharp.Protocol.CallToolResult.FromText("done");
            });
        });

        var calls = Enumerable.Range(0, 4).Select(i => server.PostAsync("""{"jsonrpc":"2.0","id":ID,"method":"tools/call","params":{"name":"wait"}}""".Replace("ID", i.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal))).ToArray();
        await Eventually.WaitUntilAsync(() => Volatile.Read(ref started) == 4, "four handlers running");

        Assert.Equal(4, started);
        release.SetResult();
        foreach (var call in calls)
        {
            using var response = await call;
            Assert.Equal("done", (await ReadMessagesAsync(response)).Single().GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString());
        }
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("DELETE")]
    public async Task Stateless_mode_answers_get_and_delete_405_with_allow_post(string method)
    {
        await using var server = await TestServer.StartAsync(http => http.SessionMode = McpSessionMode.Stateless);
        using var response = await server.SendAsync(new HttpMethod(method), "any");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("POST", string.Join(", ", response.Content.Headers.Allow));
    }

    [Fact]
    public async Task Json_response_mode_answers_requests_with_application_json()
    {
        await using var server = await TestServer.StartAsync(http => http.JsonResponse = true);
        using (var init = await server.PostAsync(Init, protocolVersion: null))
        {
            Assert.Equal("application/json", init.Content.Headers.ContentType?.MediaType);
        }

        string sid = await server.InitializeAsync();
        using var response = await server.PostAsync("""{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"echo","arguments":{"text":"j"}}}""", sid);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("echo:j", (await ReadMessagesAsync(response)).Single().GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task Deleting_a_session_ends_its_pending_json_requests_with_404_instead_of_hanging()
    {
        var started = new TaskCompletionSource();
        await using var server = await TestServer.StartAsync(http => http.JsonResponse = true, s => s.Tools.Add(
            new McpSharp.Protocol.Tool { Name = "forever", InputSchema = Json("""{"type":"object"}""") },
            async ctx =>
            {
                started.SetResult();
                await Task.Delay(Timeout.Infinite, ctx.CancellationToken);
                return new McpSharp.Protocol.CallToolResult();
            }));
        string sid = await server.InitializeAsync();
        var call = server.PostAsync("""{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"forever"}}""", sid);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        using (var delete = await server.SendAsync(HttpMethod.Delete, sid, accept: null))
        {
            Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        }

        using var response = await call.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Shutdown_closes_every_stream_and_ends_every_session()
    {
        var server = await TestServer.StartAsync();
        string sid = await server.InitializeAsync();
        using var get = await server.SendAsync(HttpMethod.Get, sid);
        var events = ReadMessageEventsAsync(get).GetAsyncEnumerator();
        var next = events.MoveNextAsync().AsTask();
        var sessions = server.Sessions;

        await server.DisposeAsync();
        Assert.False(await next.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(0, sessions.Count);
    }
}

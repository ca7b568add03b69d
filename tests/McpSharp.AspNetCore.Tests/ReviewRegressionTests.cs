using McpSharp.Tests.TestSupport;
using System.Net;
using McpSharp.AspNetCore.Http;
using McpSharp.AspNetCore.Streams;
using McpSharp.AspNetCore.Tests.TestSupport;
using McpSharp.Protocol;
using Microsoft.AspNetCore.Http;
using static McpSharp.AspNetCore.Tests.TestSupport.TestServer;

namespace McpSharp.AspNetCore.Tests;

/// <summary>Cases found in review: each once broke a rule; each must stay fixed.</summary>
public sealed class ReviewRegressionTests
{
    private static void AddBlockingTool(McpSharp.Server.McpServer server, TaskCompletionSource started) =>
        server.Tools.Add(new Tool { Name = "block", InputSchema = Json("""{"type":"object"}""") }, async ctx =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, ctx.CancellationToken);
            return new CallToolResult();
        });

    [Fact]
    public async Task A_request_the_client_cancels_ends_its_sse_stream_and_leaves_the_session_idle()
    {
        var started = new TaskCompletionSource();
        await using var server = await TestServer.StartAsync(configure: s => AddBlockingTool(s, started));
        string sid = await server.InitializeAsync();
        using var call = await server.PostAsync("""{"jsonrpc":"2.0","id":21,"method":"tools/call","params":{"name":"block"}}""", sid);
        var read = ReadMessagesAsync(call);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        using (var cancel = await server.PostAsync("""{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":21}}""", sid))
        {
            Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        }

        // The stream ends with no response (CANCEL-RECEIVER) instead of sending keep-alives forever.
        Assert.Empty(await read.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(server.Sessions.TryGet(sid, out var session));
        await Eventually.WaitUntilAsync(() => !session.HasWork, "the request to finish");

        Assert.False(session.HasWork);
    }

    [Fact]
    public async Task A_request_the_client_cancels_in_json_mode_gets_202_and_no_response()
    {
        var started = new TaskCompletionSource();
        await using var server = await TestServer.StartAsync(http => http.JsonResponse = true, s => AddBlockingTool(s, started));
        string sid = await server.InitializeAsync();
        var call = server.PostAsync("""{"jsonrpc":"2.0","id":22,"method":"tools/call","params":{"name":"block"}}""", sid);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        using (await server.PostAsync("""{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":22}}""", sid))
        {
        }

        using var response = await call.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task A_bad_last_event_id_gets_400_without_cutting_off_the_live_stream()
    {
        await using var server = await TestServer.StartAsync();
        string sid = await server.InitializeAsync();
        using var get = await server.SendAsync(HttpMethod.Get, sid);
        await using var events = ReadMessageEventsAsync(get).GetAsyncEnumerator();
        var next = events.MoveNextAsync().AsTask();

        using (var bad = await server.SendAsync(HttpMethod.Get, sid, configure: r => r.Headers.Add("Last-Event-ID", "0:999")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        }

        server.Server.Tools.Add(new Tool { Name = "added", InputSchema = Json("""{"type":"object"}""") }, static _ => default);
        Assert.True(await next.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("list_changed", events.Current.Data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_standalone_stream_of_a_get_only_session_can_be_resumed()
    {
        await using var server = await TestServer.StartAsync();
        string sid = await server.InitializeAsync();
        string? lastId;
        using (var get = await server.SendAsync(HttpMethod.Get, sid))
        {
            await using var events = ReadEventsAsync(get).GetAsyncEnumerator();
            server.Server.Tools.Add(new Tool { Name = "one", InputSchema = Json("""{"type":"object"}""") }, static _ => default);
            Assert.True(await events.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
            lastId = events.Current.EventId;
        }

        // Nobody is connected: the notification goes to the event store only (synchronously, before Add returns).
        server.Server.Tools.Add(new Tool { Name = "two", InputSchema = Json("""{"type":"object"}""") }, static _ => default);
        using var resume = await server.SendAsync(HttpMethod.Get, sid, configure: r => r.Headers.Add("Last-Event-ID", lastId));
        Assert.Equal(HttpStatusCode.OK, resume.StatusCode);
        await using var replayed = ReadEventsAsync(resume).GetAsyncEnumerator();
        Assert.True(await replayed.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("list_changed", replayed.Current.Data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_stateless_mode_a_batch_without_2025_03_26_is_400()
    {
        await using var server = await TestServer.StartAsync(http => http.SessionMode = McpSessionMode.Stateless);
        using var response = await server.PostAsync("""[{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","id":2,"method":"ping"}]""", protocolVersion: "2025-11-25");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task In_json_mode_a_server_request_with_no_open_stream_fails_at_once()
    {
        await using var server = await TestServer.StartAsync(http => http.JsonResponse = true, s => s.Tools.Add(
            new Tool { Name = "roots", InputSchema = Json("""{"type":"object"}""") },
            static async ctx => CallToolResult.FromText((await ctx.ListRootsAsync(TimeSpan.FromMinutes(10))).Roots.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        using var init = await server.PostAsync(Init.Replace("\"sampling\":{}", "\"roots\":{}", StringComparison.Ordinal), protocolVersion: null);
        string sid = init.Headers.GetValues("MCP-Session-Id").Single();
        using (await server.PostAsync(Initialized, sid))
        {
        }

        using var response = await server.PostAsync("""{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"roots"}}""", sid).WaitAsync(TimeSpan.FromSeconds(30));
        var result = (await ReadMessagesAsync(response)).Single();
        Assert.True(result.GetProperty("result").GetProperty("isError").GetBoolean());
        Assert.Contains("No stream to the client is open", result.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_ipv4_mapped_loopback_binding_still_checks_the_host()
    {
        var http = new DefaultHttpContext();
        http.Connection.LocalIpAddress = System.Net.IPAddress.Parse("::ffff:127.0.0.1");
        http.Request.Host = new HostString("evil.example.com");
        http.Request.Headers.Origin = "http://evil.example.com";
        Assert.False(DnsRebindingGuard.Allows(http, new McpHttpOptions()));
    }

    [Fact]
    public async Task The_event_store_never_revives_a_deleted_session_and_a_recreated_stream_has_no_silent_gap()
    {
        var store = new InMemoryEventStore { MaxStreamsPerSession = 2 };
        await store.StoreAsync("s", "a", 0, ReadOnlyMemory<byte>.Empty, default);
        await store.StoreAsync("s", "a", 1, new byte[] { 1 }, default);
        await store.StoreAsync("s", "b", 0, ReadOnlyMemory<byte>.Empty, default);
        await store.StoreAsync("s", "c", 0, ReadOnlyMemory<byte>.Empty, default); // "a" is forgotten
        await store.StoreAsync("s", "a", 5, new byte[] { 5 }, default);          // and written to again

        Assert.False(await store.CanResumeAsync("s", "a", 1, default));
        Assert.True(await store.CanResumeAsync("s", "a", 4, default));

        await store.DeleteSessionAsync("s", default);
        await store.StoreAsync("s", "a", 6, new byte[] { 6 }, default);
        Assert.Equal(0, store.SessionCount);
    }
}

using System.Net;
using System.Text.Json;
using McpSharp.AspNetCore.Sessions;
using McpSharp.AspNetCore.Tests.TestSupport;
using McpSharp.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using McpSharp.Protocol;
using static McpSharp.AspNetCore.Tests.TestSupport.TestServer;

namespace McpSharp.AspNetCore.Tests;

/// <summary>
/// Two nodes (two Kestrels in this process) that share one backend (session directory, event store, message bus), as
/// the nodes of a cluster do: a session begun on one is served by the other, with the state the client negotiated and
/// changed; its end on either is seen by both at once (HTTP-SESS-404 everywhere); a stream written on one is resumed on
/// the other; a server request sent by a handler on one is answered through the other; what one node sends a session's
/// GET stream, or announces to every client, reaches the stream on the other, once, and is kept for a resume on either
/// while neither holds it; the session limit holds for both.
/// Run once per backend: the in-memory one shared within a process here, Redis in McpSharp.Redis.Tests.
/// </summary>
public abstract class ClusterTests : IAsyncLifetime
{
    private readonly TaskCompletionSource _hanging = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TestServer _a = null!;
    private TestServer _b = null!;

    public async Task InitializeAsync()
    {
        _a = await StartNodeAsync("main");
        _b = await StartNodeAsync("main");
    }

    public virtual async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    /// <summary>Puts a node on the backend named <paramref name="scope"/>: nodes with the same scope share it.</summary>
    protected abstract void UseBackend(IMcpServerBuilder builder, string scope);

    // A GET stream on node A that gets one event ("one"), whose id is returned, and then drops.
    private async Task<string> OneEventOnAGetStreamThatDropsAsync(string sid, HttpSession onA)
    {
        string firstId;
        using (var getOnA = await _a.SendAsync(HttpMethod.Get, sid))
        {
            await Eventually.WaitUntilAsync(() => onA.HoldsStandalone, "the GET stream on node A");
            await using var events = ReadEventsAsync(getOnA).GetAsyncEnumerator();
            await onA.Mcp.LogAsync(LoggingLevel.Info, "one");
            firstId = (await NextAsync(events)).EventId!;
        }

        await Eventually.WaitUntilAsync(() => !onA.HoldsStandalone, "the GET stream on node A to close");
        return firstId;
    }

    // Where the session's GET stream stands in the event store the nodes share.
    private ValueTask<long> LastSequenceAsync(string sessionId) =>
        _a.Services.GetRequiredService<McpSharp.AspNetCore.Streams.IMcpEventStore>().LastSequenceAsync(sessionId, "0", CancellationToken.None);

    private Task<TestServer> StartNodeAsync(string scope, Action<McpHttpOptions>? http = null) => TestServer.StartAsync(
        http: http,
        configure: s =>
        {
            s.Tools.Add(new Tool { Name = "log", InputSchema = Json("""{"type":"object"}""") }, static async ctx =>
            {
                await ctx.LogAsync(LoggingLevel.Info, "info");
                await ctx.LogAsync(LoggingLevel.Error, "error");
                return CallToolResult.FromText("logged");
            });
            s.Tools.Add(new Tool { Name = "ask", InputSchema = Json("""{"type":"object"}""") }, static async ctx =>
            {
                var sampled = await ctx.SampleAsync(new CreateMessageRequestParams { Messages = [new SamplingMessage { Role = Role.User, Content = [new TextContentBlock("2+2?")] }], MaxTokens = 5 });
                return CallToolResult.FromText("model says " + ((TextContentBlock)sampled.Content[0]).Text);
            });
            s.Tools.Add(new Tool { Name = "hang", InputSchema = Json("""{"type":"object"}""") }, async ctx =>
            {
                _hanging.TrySetResult();
                await Task.Delay(Timeout.Infinite, ctx.CancellationToken);
                return CallToolResult.FromText("never");
            });
            s.Prompts.Add(new Prompt { Name = "p" }, static _ => ValueTask.FromResult(new GetPromptResult()));
        },
        mcp: builder => UseBackend(builder, scope));

    private static bool IsMethod(JsonElement message, string method) => message.TryGetProperty("method", out var m) && m.GetString() == method;

    // The next JSON-RPC message of an SSE stream (priming events and comments skipped), with its event id.
    private static async Task<(JsonElement Message, string? EventId)> NextAsync(IAsyncEnumerator<System.Net.ServerSentEvents.SseItem<string>> events)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await events.MoveNextAsync().AsTask().WaitAsync(timeout.Token))
        {
            if (events.Current.Data.Length > 0)
            {
                return (Json(events.Current.Data), events.Current.EventId);
            }
        }

        throw new InvalidOperationException("The stream ended.");
    }

    [Fact]
    public async Task A_session_begun_on_one_node_is_served_by_the_other_with_its_negotiated_state()
    {
        string sid = await _a.InitializeAsync();
        using (var setLevel = await _a.PostAsync("""{"jsonrpc":"2.0","id":2,"method":"logging/setLevel","params":{"level":"error"}}""", sid))
        {
            Assert.Equal(HttpStatusCode.OK, setLevel.StatusCode);
            await ReadMessagesAsync(setLevel);
        }

        // Node B never saw this session: it serves it from the directory's record, with the level node A stored.
        using var call = await _b.PostAsync("""{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"log"}}""", sid);
        Assert.Equal(HttpStatusCode.OK, call.StatusCode);
        var messages = await ReadMessagesAsync(call);
        var logged = Assert.Single(messages, m => m.TryGetProperty("method", out var method) && method.GetString() == "notifications/message");
        Assert.Equal("error", logged.GetProperty("params").GetProperty("level").GetString());
        Assert.Equal("logged", messages[^1].GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal(sid, call.Headers.GetValues("MCP-Session-Id").Single());
    }

    [Fact]
    public async Task A_session_deleted_on_one_node_is_404_on_both_at_once_and_a_second_delete_is_404()
    {
        string sid = await _a.InitializeAsync();
        using (var onB = await _b.PostAsync(List, sid))
        {
            Assert.Equal(HttpStatusCode.OK, onB.StatusCode);
        }

        using (var delete = await _b.SendAsync(HttpMethod.Delete, sid))
        {
            Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        }

        TestServer[] nodes = [_a, _b];
        for (int i = 0; i < nodes.Length; i++)
        {
            var node = nodes[i];
            using var after = await node.PostAsync(List, sid);
            Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
            Assert.Equal(McpErrorCodes.SessionNotFound, (await ErrorAsync(after)).GetProperty("error").GetProperty("code").GetInt32());
            using var again = await node.SendAsync(HttpMethod.Delete, sid);
            Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        }

        Assert.False(_a.Sessions.TryGet(sid, out _));
        Assert.False(_b.Sessions.TryGet(sid, out _));
    }

    [Fact]
    public async Task A_stream_answered_on_one_node_is_replayed_on_the_other()
    {
        string sid = await _a.InitializeAsync();
        string lastEventId;
        using (var call = await _a.PostAsync(List, sid))
        {
            var events = await ReadEventsAsync(call).ToListAsync();
            lastEventId = events.First(e => e.EventId is not null).EventId!;
        }

        // The priming event's id: everything after it, on the other node.
        using var resume = await _b.SendAsync(HttpMethod.Get, sid, configure: r => r.Headers.Add("Last-Event-ID", lastEventId));
        Assert.Equal(HttpStatusCode.OK, resume.StatusCode);
        var replayed = await ReadMessagesAsync(resume);
        Assert.Equal(2, Assert.Single(replayed).GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task A_stream_of_a_node_that_is_gone_with_nothing_more_kept_is_400_so_the_client_knows_its_request_is_lost()
    {
        string sid = await _a.InitializeAsync();
        await using var doomed = await StartNodeAsync("main");
        const string Hang = """{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"hang","arguments":{}}}""";

        // The request runs on the doomed node, which primes its stream and then never answers.
        var call = await doomed.PostAsync(Hang, sid);
        await using var events = ReadEventsAsync(call).GetAsyncEnumerator();
        Assert.True(await events.MoveNextAsync());
        string primed = events.Current.EventId!;

        // While that node runs, the stream can be resumed elsewhere (replayed: nothing yet; the answer may still come).
        using (var early = await _b.SendAsync(HttpMethod.Get, sid, configure: r => r.Headers.Add("Last-Event-ID", primed)))
        {
            Assert.Equal(HttpStatusCode.OK, early.StatusCode);
        }

        call.Dispose();

        // The node dies (it stops hearing its channel, as a killed process does, and never answers).
        await doomed.Sessions.Router.DisposeAsync();

        // Gone: nothing after the client's event is kept, and nothing more can come.
        using var late = await _b.SendAsync(HttpMethod.Get, sid, configure: r => r.Headers.Add("Last-Event-ID", primed));
        Assert.Equal(HttpStatusCode.BadRequest, late.StatusCode);

        // A stream of a live node is still replayed (the answered one here).
        using var answered = await _a.PostAsync(List, sid);
        string answeredPrimed = (await ReadEventsAsync(answered).ToListAsync()).First(e => e.EventId is not null).EventId!;
        using var replay = await _b.SendAsync(HttpMethod.Get, sid, configure: r => r.Headers.Add("Last-Event-ID", answeredPrimed));
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
    }

    [Fact]
    public async Task A_node_that_shuts_down_answers_its_running_request_with_an_error_that_a_resume_on_another_node_replays()
    {
        string sid = await _a.InitializeAsync();
        var stopping = await StartNodeAsync("main", http => http.ShutdownGrace = TimeSpan.FromMilliseconds(200));
        var call = await stopping.PostAsync("""{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"hang","arguments":{}}}""", sid);
        await using var events = ReadEventsAsync(call).GetAsyncEnumerator();
        Assert.True(await events.MoveNextAsync());
        string primed = events.Current.EventId!;

        // The client leaves once the handler runs (leaving before the node has taken the request may lose it, rightly).
        await _hanging.Task.WaitAsync(TimeSpan.FromSeconds(30));
        call.Dispose();

        // Graceful: the request still running after the grace period is answered, into the stream's stored events.
        await stopping.DisposeAsync();
        using var resumed = await _b.SendAsync(HttpMethod.Get, sid, configure: r => r.Headers.Add("Last-Event-ID", primed));
        Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
        var answer = Assert.Single(await ReadMessagesAsync(resumed));
        Assert.Equal(7, answer.GetProperty("id").GetInt32());
        Assert.Contains("shutting down", answer.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_session_limit_holds_across_the_nodes()
    {
        await using var a = await StartNodeAsync("limit", o => o.MaxSessions = 2);
        await using var b = await StartNodeAsync("limit", o => o.MaxSessions = 2);
        string first = await a.InitializeAsync();
        await b.InitializeAsync();
        await a.InitializeAsync();

        // Two at most: the longest idle (the first) made room, for both nodes.
        using (var evicted = await b.PostAsync(List, first))
        {
            Assert.Equal(HttpStatusCode.NotFound, evicted.StatusCode);
        }

        // Both left are busy (a GET stream each, on either node): a third gets 503.
        string[] live = [await b.InitializeAsync(), await a.InitializeAsync()];
        using var streamOnA = await a.SendAsync(HttpMethod.Get, live[0]);
        using var streamOnB = await b.SendAsync(HttpMethod.Get, live[1]);
        await Eventually.WaitUntilAsync(() => a.Sessions.TryGet(live[0], out var s1) && s1.HoldsStandalone && b.Sessions.TryGet(live[1], out var s2) && s2.HoldsStandalone, "both GET streams");
        using var refused = await b.PostAsync(Init, protocolVersion: null);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
    }

    [Fact]
    public async Task A_sampling_request_sent_by_a_handler_on_one_node_is_answered_through_the_other()
    {
        string sid = await _a.InitializeAsync();
        using var call = await _a.PostAsync("""{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"ask"}}""", sid);
        await using var events = ReadEventsAsync(call).GetAsyncEnumerator();
        var (request, _) = await NextAsync(events);
        Assert.True(IsMethod(request, "sampling/createMessage"));

        // The answer lands on node B; the handler waiting for it runs on node A.
        string answer = $$$$"""{"jsonrpc":"2.0","id":{{{{request.GetProperty("id").GetRawText()}}}},"result":{"role":"assistant","model":"m","content":{"type":"text","text":"4"}}}""";
        using (var posted = await _b.PostAsync(answer, sid))
        {
            Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        }

        var (result, _) = await NextAsync(events);
        Assert.Equal(7, result.GetProperty("id").GetInt32());
        Assert.Equal("model says 4", result.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task An_answer_for_a_node_that_nobody_hears_is_503_so_the_client_sends_it_again_not_dropped()
    {
        string sid = await _a.InitializeAsync();
        await using var doomed = await StartNodeAsync("main");
        var call = await doomed.PostAsync("""{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"ask"}}""", sid);
        await using var events = ReadEventsAsync(call).GetAsyncEnumerator();
        var (request, _) = await NextAsync(events);
        call.Dispose();
        await doomed.DisposeAsync();

        string answer = $$$$"""{"jsonrpc":"2.0","id":{{{{request.GetProperty("id").GetRawText()}}}},"result":{"role":"assistant","model":"m","content":{"type":"text","text":"4"}}}""";
        using var posted = await _b.PostAsync(answer, sid);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, posted.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), posted.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task A_change_announced_on_one_node_reaches_the_GET_stream_on_the_other_once()
    {
        string sid = await _a.InitializeAsync();
        using var get = await _b.SendAsync(HttpMethod.Get, sid);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        await Eventually.WaitUntilAsync(() => _b.Sessions.TryGet(sid, out var held) && held.HoldsStandalone, "the GET stream on node B");
        await using var events = ReadEventsAsync(get).GetAsyncEnumerator();

        _a.Server.NotifyToolsListChanged();
        Assert.True(IsMethod((await NextAsync(events)).Message, "notifications/tools/list_changed"));

        // Once: the next thing on the stream is the next change, not the first one again.
        _a.Server.NotifyPromptsListChanged();
        Assert.True(IsMethod((await NextAsync(events)).Message, "notifications/prompts/list_changed"));
    }

    [Fact]
    public async Task A_server_request_of_a_session_on_one_node_goes_out_on_the_GET_stream_held_by_the_other()
    {
        string sid = await _a.InitializeAsync();
        using var get = await _b.SendAsync(HttpMethod.Get, sid);
        await Eventually.WaitUntilAsync(() => _b.Sessions.TryGet(sid, out var held) && held.HoldsStandalone, "the GET stream on node B");
        await using var events = ReadEventsAsync(get).GetAsyncEnumerator();
        Assert.True(_a.Sessions.TryGet(sid, out var onA));

        var ping = onA.Mcp.PingAsync(TimeSpan.FromSeconds(30));
        var (request, _) = await NextAsync(events);
        Assert.True(IsMethod(request, "ping"));
        using (var answered = await _b.PostAsync($$$"""{"jsonrpc":"2.0","id":{{{request.GetProperty("id").GetRawText()}}},"result":{}}""", sid))
        {
            Assert.Equal(HttpStatusCode.Accepted, answered.StatusCode);
        }

        await ping.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_GET_stream_moves_to_the_other_node_with_what_it_missed_and_goes_on_there()
    {
        string sid = await _a.InitializeAsync();
        Assert.True(_a.Sessions.TryGet(sid, out var onA));
        string firstId = await OneEventOnAGetStreamThatDropsAsync(sid, onA);
        await onA.Mcp.LogAsync(LoggingLevel.Info, "two");

        using var getOnB = await _b.SendAsync(HttpMethod.Get, sid, configure: r => r.Headers.Add("Last-Event-ID", firstId));
        Assert.Equal(HttpStatusCode.OK, getOnB.StatusCode);
        await using var moved = ReadEventsAsync(getOnB).GetAsyncEnumerator();
        Assert.Equal("two", (await NextAsync(moved)).Message.GetProperty("params").GetProperty("data").GetString());

        // Live on node B from now on, for messages from node A too.
        await Eventually.WaitUntilAsync(() => _b.Sessions.TryGet(sid, out var held) && held.HoldsStandalone, "the GET stream on node B");
        await onA.Mcp.LogAsync(LoggingLevel.Info, "three");
        var (three, threeId) = await NextAsync(moved);
        Assert.Equal("three", three.GetProperty("params").GetProperty("data").GetString());

        // One stream, numbered across the nodes: "0:1" on A, then "0:3" written by A while B holds it.
        Assert.Equal(new[] { "0:1", "0:3" }, new[] { firstId, threeId! });
    }

    [Fact]
    public async Task What_any_node_sends_while_no_node_holds_the_GET_stream_is_there_when_the_client_resumes_it_anywhere()
    {
        string sid = await _a.InitializeAsync();
        Assert.True(_a.Sessions.TryGet(sid, out var onA));
        using (var ping = await _b.PostAsync("""{"jsonrpc":"2.0","id":2,"method":"ping"}""", sid))
        {
            Assert.Equal(HttpStatusCode.OK, ping.StatusCode);
        }

        Assert.True(_b.Sessions.TryGet(sid, out var onB));
        string firstId = await OneEventOnAGetStreamThatDropsAsync(sid, onA);

        // The stream is between nodes: a message from B, and a change announced by B, which both nodes serving the
        // session offer it (it must be kept once).
        await onB.Mcp.LogAsync(LoggingLevel.Info, "two");
        _b.Server.NotifyToolsListChanged();
        await Eventually.WaitUntilAsync(async () => await LastSequenceAsync(sid) >= 3, "the change stored");

        // Resumed on A, where it was, as well as on B, which sent them: both get everything after "one", once, in order.
        TestServer[] nodes = [_a, _b];
        for (int i = 0; i < nodes.Length; i++)
        {
            var node = nodes[i];
            using var resumed = await node.SendAsync(HttpMethod.Get, sid, configure: r => r.Headers.Add("Last-Event-ID", firstId));
            Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
            await using var events = ReadEventsAsync(resumed).GetAsyncEnumerator();
            var (two, twoId) = await NextAsync(events);
            Assert.Equal("two", two.GetProperty("params").GetProperty("data").GetString());
            var (changed, changedId) = await NextAsync(events);
            Assert.True(IsMethod(changed, "notifications/tools/list_changed"));
            Assert.Equal(new[] { "0:2", "0:3" }, new[] { twoId!, changedId! });
            for (int earlier = 0; earlier < i; earlier++)
            {
                Assert.Equal($"now-{earlier}", (await NextAsync(events)).Message.GetProperty("params").GetProperty("data").GetString());
            }

            // Nothing more was kept: the next event is one sent now, numbered next.
            await Eventually.WaitUntilAsync(() => node.Sessions.TryGet(sid, out var held) && held.HoldsStandalone, "the resumed GET stream");
            long before = await LastSequenceAsync(sid);
            await onA.Mcp.LogAsync(LoggingLevel.Info, $"now-{i}");
            var (now, nowId) = await NextAsync(events);
            Assert.Equal($"now-{i}", now.GetProperty("params").GetProperty("data").GetString());
            Assert.Equal($"0:{before + 1}", nowId);
        }
    }

    [Fact]
    public async Task A_change_announced_while_the_GET_stream_is_held_is_delivered_once_though_every_node_offers_it()
    {
        string sid = await _a.InitializeAsync();
        using (var ping = await _b.PostAsync("""{"jsonrpc":"2.0","id":2,"method":"ping"}""", sid))
        {
            Assert.Equal(HttpStatusCode.OK, ping.StatusCode);
        }

        using var get = await _a.SendAsync(HttpMethod.Get, sid);
        await Eventually.WaitUntilAsync(() => _a.Sessions.TryGet(sid, out var held) && held.HoldsStandalone, "the GET stream on node A");
        await using var events = ReadEventsAsync(get).GetAsyncEnumerator();

        // Announced on B: B offers it to the session it serves, A relays it and offers it too.
        _b.Server.NotifyToolsListChanged();
        Assert.True(IsMethod((await NextAsync(events)).Message, "notifications/tools/list_changed"));
        _a.Server.NotifyPromptsListChanged();
        Assert.True(IsMethod((await NextAsync(events)).Message, "notifications/prompts/list_changed"));
        Assert.True(_b.Sessions.TryGet(sid, out var onB));
        await onB.Mcp.LogAsync(LoggingLevel.Info, "last");
        Assert.Equal("last", (await NextAsync(events)).Message.GetProperty("params").GetProperty("data").GetString());
    }
}

/// <summary><see cref="ClusterTests"/> on the in-memory backend, one instance of each part shared by the nodes of a scope.</summary>
public sealed class InMemoryClusterTests : ClusterTests, IDisposable
{
    private readonly Dictionary<string, (InMemorySessionDirectory Directory, McpSharp.AspNetCore.Streams.InMemoryEventStore Events, InMemoryMessageBus Bus)> _backends = [];

    public void Dispose()
    {
        foreach (var backend in _backends.Values)
        {
            backend.Directory.Dispose();
        }
    }

    protected override void UseBackend(IMcpServerBuilder builder, string scope)
    {
        if (!_backends.TryGetValue(scope, out var backend))
        {
            var options = Microsoft.Extensions.Options.Options.Create(new McpHttpOptions());
            backend = _backends[scope] = (new InMemorySessionDirectory(options), new McpSharp.AspNetCore.Streams.InMemoryEventStore(), new InMemoryMessageBus());
        }

        builder.Services.Replace(ServiceDescriptor.Singleton<IMcpSessionDirectory>(backend.Directory));
        builder.Services.Replace(ServiceDescriptor.Singleton<McpSharp.AspNetCore.Streams.IMcpEventStore>(backend.Events));
        builder.Services.Replace(ServiceDescriptor.Singleton<IMcpMessageBus>(backend.Bus));
    }
}

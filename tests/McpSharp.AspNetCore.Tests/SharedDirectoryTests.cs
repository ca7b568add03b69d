using System.Net;
using McpSharp.AspNetCore.Sessions;
using McpSharp.AspNetCore.Streams;
using McpSharp.AspNetCore.Tests.TestSupport;
using McpSharp.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static McpSharp.AspNetCore.Tests.TestSupport.TestServer;

namespace McpSharp.AspNetCore.Tests;

/// <summary>
/// Two nodes (two Kestrels in this process) that share one session directory and one event store, as nodes of a
/// cluster share a backend: a session begun on one is served by the other, with the state the client negotiated and
/// changed; its end on either is seen by both at once (HTTP-SESS-404 everywhere); a stream written on one is resumed on
/// the other.
/// </summary>
public sealed class SharedDirectoryTests : IAsyncLifetime, IDisposable
{
    private readonly InMemorySessionDirectory _directory = new(Options.Create(new McpHttpOptions()));
    private readonly InMemoryEventStore _events = new();
    private TestServer _a = null!;
    private TestServer _b = null!;

    public async Task InitializeAsync()
    {
        _a = await StartNodeAsync();
        _b = await StartNodeAsync();
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    public void Dispose() => _directory.Dispose();

    private Task<TestServer> StartNodeAsync() => TestServer.StartAsync(
        configure: s => s.Tools.Add(new Tool { Name = "log", InputSchema = Json("""{"type":"object"}""") }, static async ctx =>
        {
            await ctx.LogAsync(LoggingLevel.Info, "info");
            await ctx.LogAsync(LoggingLevel.Error, "error");
            return CallToolResult.FromText("logged");
        }),
        services: s =>
        {
            s.AddSingleton<IMcpSessionDirectory>(_directory);
            s.AddSingleton<IMcpEventStore>(_events);
        });

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

        foreach (var node in new[] { _a, _b })
        {
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
    public async Task The_session_limit_holds_across_the_nodes()
    {
        using var directory = new InMemorySessionDirectory(Options.Create(new McpHttpOptions()));
        await using var a = await TestServer.StartAsync(http: o => o.MaxSessions = 2, services: s => s.AddSingleton<IMcpSessionDirectory>(directory));
        await using var b = await TestServer.StartAsync(http: o => o.MaxSessions = 2, services: s => s.AddSingleton<IMcpSessionDirectory>(directory));
        string first = await a.InitializeAsync();
        await b.InitializeAsync();
        await a.InitializeAsync();

        // Two at most: the longest idle (the first) made room.
        Assert.Equal(2, directory.Count);
        using var evicted = await b.PostAsync(List, first);
        Assert.Equal(HttpStatusCode.NotFound, evicted.StatusCode);
    }
}

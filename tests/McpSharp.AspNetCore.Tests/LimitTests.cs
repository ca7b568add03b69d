using System.Net;
using System.Text;
using McpSharp.AspNetCore.Tests.TestSupport;
using McpSharp.Tests.TestSupport;
using static McpSharp.AspNetCore.Tests.TestSupport.TestServer;

namespace McpSharp.AspNetCore.Tests;

/// <summary>Limits and lifetime, timed with a fake clock (never sleeps): idle expiry, keep-alive, eviction, leaks.</summary>
[Collection(RunsAlone.Name)]
public sealed class LimitTests
{
    [Fact]
    public async Task An_idle_session_expires_and_is_then_404()
    {
        var clock = new TestClock();
        await using var server = await TestServer.StartAsync(http => http.IdleTimeout = TimeSpan.FromMinutes(30), time: clock);
        string sid = await server.InitializeAsync();

        clock.Advance(TimeSpan.FromMinutes(29));
        using (var alive = await server.PostAsync(List, sid))
        {
            Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
            await ReadMessagesAsync(alive);
        }

        // The request above counts as work until the server has finished it; only then is the session idle.
        Assert.True(server.Sessions.TryGet(sid, out var session));
        await Eventually.WaitUntilAsync(() => !session.HasWork);
        clock.Advance(TimeSpan.FromMinutes(31));
        await Eventually.WaitUntilAsync(() => server.Sessions.Count == 0);
        using var expired = await server.PostAsync(List, sid);
        Assert.Equal(HttpStatusCode.NotFound, expired.StatusCode);
    }

    [Fact]
    public async Task A_session_with_an_open_stream_is_not_idle()
    {
        var clock = new TestClock();
        await using var server = await TestServer.StartAsync(http => { http.IdleTimeout = TimeSpan.FromMinutes(1); http.KeepAliveInterval = null; }, time: clock);
        string sid = await server.InitializeAsync();
        using var get = await server.SendAsync(HttpMethod.Get, sid);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);

        clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(1, server.Sessions.Count);
    }

    [Fact]
    public async Task Idle_streams_get_keep_alive_comments_at_the_interval()
    {
        var clock = new TestClock();
        await using var server = await TestServer.StartAsync(http => http.KeepAliveInterval = TimeSpan.FromSeconds(15), time: clock);
        string sid = await server.InitializeAsync();
        using var get = await server.SendAsync(HttpMethod.Get, sid);
        Assert.Equal("no", get.Headers.GetValues("X-Accel-Buffering").Single());
        var body = await get.Content.ReadAsStreamAsync();
        var buffer = new byte[64];
        int primed = await body.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.StartsWith("id: 0:0\n", Encoding.UTF8.GetString(buffer, 0, primed), StringComparison.Ordinal);

        // Two timers: the session store's idle sweeper and this stream's keep-alive.
        await clock.WaitForTimersAsync(2);
        clock.Advance(TimeSpan.FromSeconds(15));
        int read = await body.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(": keep-alive\n\n", Encoding.UTF8.GetString(buffer, 0, read));
    }

    [Fact]
    public async Task At_the_session_limit_the_longest_idle_session_is_evicted()
    {
        var clock = new TestClock();
        await using var server = await TestServer.StartAsync(http => http.MaxSessions = 3, time: clock);
        string oldest = await server.InitializeAsync();
        clock.Advance(TimeSpan.FromSeconds(10));
        string middle = await server.InitializeAsync();
        clock.Advance(TimeSpan.FromSeconds(10));
        string newest = await server.InitializeAsync();
        clock.Advance(TimeSpan.FromSeconds(10));

        string fourth = await server.InitializeAsync();
        Assert.Equal(3, server.Sessions.Count);
        using (var evicted = await server.PostAsync(List, oldest))
        {
            Assert.Equal(HttpStatusCode.NotFound, evicted.StatusCode);
        }

        foreach (string live in new[] { middle, newest, fourth })
        {
            using var response = await server.PostAsync(List, live);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task At_the_limit_with_every_session_busy_initialize_gets_503_with_retry_after()
    {
        await using var server = await TestServer.StartAsync(http => http.MaxSessions = 2);
        var streams = new List<HttpResponseMessage>();
        for (int i = 0; i < 2; i++)
        {
            string sid = await server.InitializeAsync();
            streams.Add(await server.SendAsync(HttpMethod.Get, sid));
        }

        using var response = await server.PostAsync(Init, protocolVersion: null);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        streams.ForEach(s => s.Dispose());
    }

    [Fact]
    public async Task Creating_and_deleting_10000_sessions_leaves_nothing_behind()
    {
        await using var server = await TestServer.StartAsync();
        for (int i = 0; i < 200; i++)
        {
            await CreateAndDeleteAsync(server);
        }

        long before = ManagedBytesAfterFullGc();
        for (int i = 0; i < 10_000; i++)
        {
            await CreateAndDeleteAsync(server);
        }

        long after = ManagedBytesAfterFullGc();
        Assert.Equal(0, server.Sessions.Count);
        Assert.Empty(server.Server.Sessions);
        // 10,000 leaked sessions would hold tens of MB; what is left is noise (caches, pools).
        Assert.True(after - before < 4 * 1024 * 1024, $"Managed heap grew by {(after - before) / 1024} KB over 10,000 sessions.");
    }

    private static async Task CreateAndDeleteAsync(TestServer server)
    {
        using var init = await server.PostAsync(Init, protocolVersion: null);
        string sid = init.Headers.GetValues("MCP-Session-Id").Single();
        await init.Content.ReadAsByteArrayAsync();
        using var delete = await server.SendAsync(HttpMethod.Delete, sid, accept: null);
        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
    }

    private static long ManagedBytesAfterFullGc()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}

/// <summary>
/// Tests that measure the whole process (the managed heap after a full GC) run alone, after the parallel ones:
/// another test allocating meanwhile would be counted as theirs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunsAlone
{
    public const string Name = "measures the whole process";
}

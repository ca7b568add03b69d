using System.Collections.Concurrent;
using McpSharp.AspNetCore.Tests.TestSupport;
using McpSharp.Client;
using McpSharp.Protocol;
using McpSharp.Tests.TestSupport;
using McpSharp.Transports.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace McpSharp.AspNetCore.Tests;

/// <summary>
/// Issue 19: the client starts a new session only when the session is really lost, at most once per loss, and never in
/// a loop, whatever the server answers to its GET stream. Every test counts the initialize requests the server saw.
/// </summary>
public sealed class SessionRecoveryTests
{
    private static string Text(CallToolResult result) => ((TextContentBlock)result.Content[0]).Text;

    private static async Task<(McpClient Client, StreamableHttpClientTransport Transport)> ConnectAsync(
        SessionfulScriptedServer server, TimeProvider? transportClock = null, McpClientOptions? options = null, TimeProvider? clientClock = null, ILoggerFactory? logs = null)
    {
        var transport = new StreamableHttpClientTransport(new HttpClientTransportOptions { Endpoint = server.Endpoint, TimeProvider = transportClock }, logs);
        return (await McpClient.ConnectAsync(transport, options, logs, clientClock), transport);
    }

    [Fact]
    public async Task A_post_only_server_whose_get_is_an_html_404_keeps_its_one_session()
    {
        // The tutorial-shaped server of issue 19: no GET route, so any GET gets the framework's own 404 page.
        await using var server = await SessionfulScriptedServer.StartAsync(static (context, _) => SessionfulScriptedServer.NotFoundHtmlAsync(context));
        var (client, transport) = await ConnectAsync(server);
        await using (client)
        {
            await transport.StandaloneCompletion.WaitAsync(TimeSpan.FromSeconds(30));
            await Eventually.WaitUntilAsync(() => server.Pings == 1, "the ping that checks the session after the GET's 404");
            for (int i = 0; i < 10; i++)
            {
                Assert.Equal("ok:s1", Text(await client.CallToolAsync("t")));
            }

            Assert.Equal(1, server.Initializes);
            Assert.Equal(1, server.Gets);
            Assert.Equal(1, server.Pings);
        }
    }

    [Fact]
    public async Task A_get_answered_404_session_not_found_while_posts_work_loses_nothing()
    {
        await using var server = await SessionfulScriptedServer.StartAsync(static (context, _) => SessionfulScriptedServer.SessionNotFoundJsonAsync(context));
        var (client, transport) = await ConnectAsync(server);
        await using (client)
        {
            int events = 0;
            client.SessionReestablished += (_, _) => Interlocked.Increment(ref events);
            await transport.StandaloneCompletion.WaitAsync(TimeSpan.FromSeconds(30));
            await Eventually.WaitUntilAsync(() => server.Pings == 1, "the ping that checks the session");
            Assert.Equal("ok:s1", Text(await client.CallToolAsync("t")));

            Assert.Equal(1, server.Initializes);
            Assert.Equal(1, server.Gets);
            Assert.Equal(0, events);
            Assert.Equal("s1", transport.SessionId);
        }
    }

    [Fact]
    public async Task A_get_answered_405_means_no_standalone_stream_and_nothing_else()
    {
        await using var server = await SessionfulScriptedServer.StartAsync();
        var (client, transport) = await ConnectAsync(server);
        await using (client)
        {
            await transport.StandaloneCompletion.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal("ok:s1", Text(await client.CallToolAsync("t")));
            Assert.Equal(1, server.Initializes);
            Assert.Equal(1, server.Gets);
            Assert.Equal(0, server.Pings);
        }
    }

    [Fact]
    public async Task A_get_stream_the_server_closes_at_once_is_reopened_with_backoff_then_given_up()
    {
        var clock = new TestClock();
        var opened = new ConcurrentQueue<DateTimeOffset>();
        await using var server = await SessionfulScriptedServer.StartAsync(async (context, _) =>
        {
            opened.Enqueue(clock.GetUtcNow());
            context.Response.ContentType = "text/event-stream";
            await context.Response.Body.FlushAsync();
        });
        var (client, transport) = await ConnectAsync(server, transportClock: clock);
        await using (client)
        {
            // Only the reconnect waits run on this clock: step it whenever one is pending.
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!transport.StandaloneCompletion.IsCompleted && DateTime.UtcNow < deadline)
            {
                if (clock.PendingTimers > 0)
                {
                    clock.Advance(TimeSpan.FromSeconds(1));
                }

                await Task.Delay(5);
            }

            Assert.True(transport.StandaloneCompletion.IsCompleted, "the GET loop gave up");
            var times = opened.ToArray();
            var gaps = times.Zip(times.Skip(1), (a, b) => (b - a).TotalSeconds).ToArray();

            // The default 1 s doubled per empty stream, up to the 5 attempts: never a tight loop.
            Assert.Equal([1d, 2d, 4d, 8d, 16d], gaps);
            Assert.Equal("ok:s1", Text(await client.CallToolAsync("t")));
            Assert.Equal(1, server.Initializes);
        }
    }

    [Fact]
    public async Task A_session_lost_while_idle_is_found_by_the_get_and_replaced_exactly_once()
    {
        var clock = new TestClock();
        var logs = new ListLoggerFactory();
        var firstStreamOpen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await SessionfulScriptedServer.StartAsync(async (context, self) =>
        {
            string? session = context.Request.Headers["MCP-Session-Id"];
            if (!self.IsLive(session))
            {
                await SessionfulScriptedServer.SessionNotFoundJsonAsync(context);
                return;
            }

            // A live session's stream stays open until the session is forgotten.
            context.Response.ContentType = "text/event-stream";
            await context.Response.Body.FlushAsync();
            firstStreamOpen.TrySetResult();
            while (self.IsLive(session) && !context.RequestAborted.IsCancellationRequested)
            {
                await Task.Delay(10);
            }
        });
        var (client, transport) = await ConnectAsync(server, transportClock: clock, logs: logs);
        await using (client)
        {
            var reestablished = new TaskCompletionSource<SessionReestablishedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
            client.SessionReestablished += (_, e) => reestablished.TrySetResult(e);
            await firstStreamOpen.Task.WaitAsync(TimeSpan.FromSeconds(30));

            // The session is forgotten while the client is idle: its GET stream ends, and the reconnect meets the 404.
            server.Forget("s1");
            await clock.WaitForTimersAsync(1);
            clock.Advance(TimeSpan.FromSeconds(1));
            var e = await reestablished.Task.WaitAsync(TimeSpan.FromSeconds(30));

            Assert.Equal(("s1", "s2"), (e.PreviousSessionId, e.SessionId));
            await Eventually.WaitUntilAsync(() => server.Gets == 3, "the new session's GET");
            Assert.Equal("ok:s2", Text(await client.CallToolAsync("t")));
            Assert.Equal(2, server.Initializes);

            // One line at Information or above for the whole recovery: the new session, with both ids.
            var lines = logs.Entries.Where(e => e.Level >= LogLevel.Information).Select(e => e.Message).ToArray();
            Assert.Equal(["The server forgot session s1; re-established as s2."], lines);
        }
    }

    [Fact]
    public async Task A_new_session_refused_by_its_first_request_is_not_replaced_by_yet_another()
    {
        await using var server = await SessionfulScriptedServer.StartAsync();

        // Every session after the first is forgotten as soon as it is initialized.
        server.AfterInitialized = static (session, self) =>
        {
            if (session != "s1")
            {
                self.Forget(session);
            }
        };
        var (client, _) = await ConnectAsync(server, options: new McpClientOptions { SessionRecoveryBackoff = TimeSpan.Zero });
        await using (client)
        {
            Assert.Equal("ok:s1", Text(await client.CallToolAsync("t")));
            server.Forget("s1");

            // One new session, its retry refused: the call fails.
            var again = await Assert.ThrowsAsync<McpHttpException>(() => client.CallToolAsync("t"));
            Assert.Equal(404, again.StatusCode);
            Assert.Equal(2, server.Initializes);

            // The session it made never served anything: the next 404 starts no other session.
            var refused = await Assert.ThrowsAsync<McpHttpException>(() => client.CallToolAsync("t"));
            Assert.Contains("not starting another one", refused.Message, StringComparison.Ordinal);
            Assert.Equal(2, server.Initializes);

            // A later request of the application's may try once more: one session per request, never a loop.
            await Assert.ThrowsAsync<McpHttpException>(() => client.CallToolAsync("t"));
            Assert.Equal(3, server.Initializes);
        }
    }

    [Fact]
    public async Task New_sessions_are_rate_limited_with_backoff_and_the_window_then_frees_up()
    {
        var clock = new TestClock();
        var initializedAt = new ConcurrentQueue<DateTimeOffset>();
        await using var server = await SessionfulScriptedServer.StartAsync();
        server.AfterInitialized = (_, _) => initializedAt.Enqueue(clock.GetUtcNow());

        // Each session serves one call and is then forgotten: every later call meets a 404.
        server.AfterRequest = static (session, self) => self.Forget(session);
        var (client, _) = await ConnectAsync(server, clientClock: clock);
        await using (client)
        {
            int events = 0;
            client.SessionReestablished += (_, _) => Interlocked.Increment(ref events);
            Assert.Equal("ok:s1", Text(await client.CallToolAsync("t")));
            Assert.Equal("ok:s2", Text(await DriveAsync(clock, client.CallToolAsync("t"))));
            Assert.Equal("ok:s3", Text(await DriveAsync(clock, client.CallToolAsync("t"))));
            Assert.Equal("ok:s4", Text(await DriveAsync(clock, client.CallToolAsync("t"))));

            // The first new session starts at once; the second waits 1 s, the third 2 s.
            var at = initializedAt.ToArray();
            Assert.Equal(4, at.Length);
            Assert.True(at[2] - at[1] >= TimeSpan.FromSeconds(1), $"second new session after {at[2] - at[1]}");
            Assert.True(at[3] - at[2] >= TimeSpan.FromSeconds(2), $"third new session after {at[3] - at[2]}");

            // A fourth within the minute: refused, no session created.
            var limited = await Assert.ThrowsAsync<McpHttpException>(() => DriveAsync(clock, client.CallToolAsync("t")));
            Assert.Equal(404, limited.StatusCode);
            Assert.Contains("MaxSessionRecoveries", limited.Message, StringComparison.Ordinal);
            Assert.Equal(4, server.Initializes);
            Assert.Equal(3, events);

            // A minute later, recovery is allowed again.
            clock.Advance(TimeSpan.FromMinutes(1));
            Assert.Equal("ok:s5", Text(await DriveAsync(clock, client.CallToolAsync("t"))));
            Assert.Equal(4, events);
        }
    }

    // Moves the client's clock in small steps (it also times requests out, after 60 s) until the call completes.
    private static async Task<T> DriveAsync<T>(TestClock clock, Task<T> call)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!call.IsCompleted && DateTime.UtcNow < deadline)
        {
            clock.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(5);
        }

        return await call.WaitAsync(TimeSpan.FromSeconds(5));
    }
}

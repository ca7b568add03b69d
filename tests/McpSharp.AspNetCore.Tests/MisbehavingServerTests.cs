using System.Net;
using System.Text.Json;
using McpSharp.AspNetCore.Tests.TestSupport;
using McpSharp.Client;
using McpSharp.Tests.TestSupport;
using McpSharp.Transports.Http;
using Microsoft.AspNetCore.Http;

namespace McpSharp.AspNetCore.Tests;

/// <summary>The HTTP client against scripted servers that misbehave: each edge case of re-initialization and streams.</summary>
public sealed class MisbehavingServerTests
{
    private static string IdOf(string body) => JsonDocument.Parse(body).RootElement.GetProperty("id").GetRawText();

    private static string EmptyResult(string id) => """{"jsonrpc":"2.0","id":ID,"result":{}}""".Replace("ID", id, StringComparison.Ordinal);

    private static string MethodOf(string body) => JsonDocument.Parse(body).RootElement.TryGetProperty("method", out var m) ? m.GetString()! : "response";

    private static Task<McpClient> ConnectAsync(ScriptedServer server, Action<HttpClientTransportOptions>? configure = null)
    {
        var options = new HttpClientTransportOptions { Endpoint = server.Endpoint };
        configure?.Invoke(options);
        return McpClient.ConnectAsync(new StreamableHttpClientTransport(options));
    }

    [Fact]
    public async Task A_404_on_the_reinitialize_itself_fails_cleanly_without_a_loop()
    {
        int initializes = 0;
        await using var server = await ScriptedServer.StartPostOnlyAsync(async (context, body) =>
        {
            switch (MethodOf(body))
            {
                case "initialize" when Interlocked.Increment(ref initializes) == 1:
                    await ScriptedServer.WriteJsonAsync(context, ScriptedServer.InitializeResult(IdOf(body)), "s1");
                    break;
                case "notifications/initialized" when initializes == 1:
                    context.Response.StatusCode = 202;
                    break;
                default:
                    // The session is forgotten, and so is every new one.
                    context.Response.StatusCode = 404;
                    break;
            }
        });
        await using var client = await ConnectAsync(server);

        var error = await Assert.ThrowsAsync<McpHttpException>(() => client.PingAsync());
        Assert.Equal(404, error.StatusCode);
        // The original initialize and exactly one re-initialize: no loop.
        Assert.Equal(2, initializes);
    }

    [Fact]
    public async Task A_404_without_a_session_id_is_an_error_and_never_reinitializes_C03()
    {
        int initializes = 0;
        await using var server = await ScriptedServer.StartPostOnlyAsync(async (context, body) =>
        {
            switch (MethodOf(body))
            {
                case "initialize":
                    Interlocked.Increment(ref initializes);
                    await ScriptedServer.WriteJsonAsync(context, ScriptedServer.InitializeResult(IdOf(body)));
                    break;
                case "notifications/initialized":
                    context.Response.StatusCode = 202;
                    break;
                default:
                    context.Response.StatusCode = 404;
                    break;
            }
        });
        await using var client = await ConnectAsync(server);

        var error = await Assert.ThrowsAsync<McpHttpException>(() => client.PingAsync());
        Assert.Equal(404, error.StatusCode);
        Assert.Equal(1, initializes);
    }

    [Fact]
    public async Task Get_and_delete_answered_405_are_fine_and_get_is_not_retried_C09()
    {
        await using var server = await ScriptedServer.StartPostOnlyAsync(async (context, body) =>
        {
            switch (MethodOf(body))
            {
                case "initialize":
                    await ScriptedServer.WriteJsonAsync(context, ScriptedServer.InitializeResult(IdOf(body)), "s1");
                    break;
                case "ping":
                    await ScriptedServer.WriteJsonAsync(context, EmptyResult(IdOf(body)));
                    break;
                default:
                    context.Response.StatusCode = 202;
                    break;
            }
        });
        var clock = new TestClock();
        var transport = new StreamableHttpClientTransport(new HttpClientTransportOptions { Endpoint = server.Endpoint, TimeProvider = clock });
        var client = await McpClient.ConnectAsync(transport);
        await client.PingAsync();
        await client.PingAsync();

        // The GET loop ends on its own after the 405; were it to retry, it would wait on the fake clock and never end.
        await Eventually.WaitUntilAsync(() => server.Requests.Any(r => r.StartsWith("GET", StringComparison.Ordinal)), "the GET");

        await transport.StandaloneCompletion.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, clock.PendingTimers);
        await client.DisposeAsync();

        Assert.Equal(1, server.Requests.Count(r => r.StartsWith("GET", StringComparison.Ordinal)));
        Assert.Equal(1, server.Requests.Count(r => r.StartsWith("DELETE", StringComparison.Ordinal) && r.Contains("session=s1", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_servers_retry_is_waited_before_resuming_SSE_RETRY_RESPECT()
    {
        var clock = new TestClock();
        string? pingId = null;
        int pingPosts = 0;
        await using var server = await ScriptedServer.StartAsync(async (context, _) =>
        {
            if (context.Request.Method == "GET" && context.Request.Headers["Last-Event-ID"] == "s:1")
            {
                context.Response.ContentType = "text/event-stream";
                await context.Response.WriteAsync($"id: s:2\ndata: {{\"jsonrpc\":\"2.0\",\"id\":{pingId},\"result\":{{}}}}\n\n");
                return;
            }

            if (context.Request.Method != "POST")
            {
                context.Response.StatusCode = 405;
                return;
            }

            string body = await ScriptedServer.BodyAsync(context);
            switch (MethodOf(body))
            {
                case "initialize":
                    await ScriptedServer.WriteJsonAsync(context, ScriptedServer.InitializeResult(IdOf(body)), "s1");
                    break;
                case "ping":
                    // Priming event with retry 5 s, then the connection closes before the response.
                    pingId = IdOf(body);
                    Interlocked.Increment(ref pingPosts);
                    context.Response.ContentType = "text/event-stream";
                    await context.Response.WriteAsync("id: s:1\nretry: 5000\ndata: \n\n");
                    break;
                default:
                    context.Response.StatusCode = 202;
                    break;
            }
        });
        await using var client = await ConnectAsync(server, o => { o.TimeProvider = clock; o.OpenStandaloneStream = false; });

        var ping = client.PingAsync();
        await clock.WaitForTimersAsync(1);
        clock.Advance(TimeSpan.FromMilliseconds(4999));
        Assert.DoesNotContain(server.Requests, r => r.StartsWith("GET", StringComparison.Ordinal));
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await ping.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Contains(server.Requests, r => r.StartsWith("GET", StringComparison.Ordinal) && r.Contains("last=s:1", StringComparison.Ordinal));
        // Resumed by GET; the request itself was never POSTed again.
        Assert.Equal(1, pingPosts);
    }

    [Fact]
    public async Task A_server_that_only_speaks_2024_11_05_http_sse_is_used_through_its_endpoint_C10()
    {
        var stream = new TaskCompletionSource<HttpResponse>();
        var done = new TaskCompletionSource();
        await using var server = await ScriptedServer.StartAsync(async (context, _) =>
        {
            if (context.Request.Method == "GET" && context.Request.Path == "/mcp")
            {
                context.Response.ContentType = "text/event-stream";
                await context.Response.WriteAsync("event: endpoint\ndata: /messages?sessionId=legacy\n\n");
                await context.Response.Body.FlushAsync();
                stream.TrySetResult(context.Response);
                await done.Task;
                return;
            }

            if (context.Request.Method == "POST" && context.Request.Path == "/messages")
            {
                string body = await ScriptedServer.BodyAsync(context);
                context.Response.StatusCode = 202;
                string reply = MethodOf(body) switch
                {
                    "initialize" => ScriptedServer.InitializeResult(IdOf(body)).Replace("2025-11-25", "2024-11-05", StringComparison.Ordinal),
                    "ping" => EmptyResult(IdOf(body)),
                    _ => string.Empty,
                };
                if (reply.Length > 0)
                {
                    var sse = await stream.Task;
                    await sse.WriteAsync($"event: message\ndata: {reply}\n\n");
                    await sse.Body.FlushAsync();
                }

                return;
            }

            // The Streamable HTTP POST: not offered.
            context.Response.StatusCode = 405;
        });
        var transport = new StreamableHttpClientTransport(new HttpClientTransportOptions { Endpoint = server.Endpoint });
        await using var client = await McpClient.ConnectAsync(transport);
        Assert.True(transport.IsLegacySse);
        Assert.Equal("2024-11-05", client.ProtocolVersion);
        await client.PingAsync();
        done.SetResult();
    }

    // A 2025 server whose answer stream to ping is primed and then closed before the answer; GETs (the resumes) go to onGet.
    private static Task<ScriptedServer> StartPingStreamServerAsync(Func<HttpContext, Task> onGet) => ScriptedServer.StartAsync(async (context, _) =>
    {
        if (context.Request.Method == "GET")
        {
            await onGet(context);
            return;
        }

        string body = await ScriptedServer.BodyAsync(context);
        switch (MethodOf(body))
        {
            case "initialize":
                await ScriptedServer.WriteJsonAsync(context, ScriptedServer.InitializeResult(IdOf(body)), "s1");
                break;
            case "ping":
                context.Response.ContentType = "text/event-stream";
                await context.Response.WriteAsync("id: s:1\nretry: 100\ndata: \n\n");
                break;
            default:
                context.Response.StatusCode = 202;
                break;
        }
    });

    [Fact]
    public async Task A_stream_the_server_can_no_longer_resume_fails_the_request_as_lost()
    {
        var clock = new TestClock();
        await using var server = await StartPingStreamServerAsync(context =>
        {
            // The node that wrote the stream is gone (McpSharp's cluster answers so).
            context.Response.StatusCode = 400;
            return Task.CompletedTask;
        });
        await using var client = await ConnectAsync(server, o => { o.TimeProvider = clock; o.OpenStandaloneStream = false; });

        var ping = client.PingAsync();
        await Eventually.WaitUntilAsync(() => clock.PendingTimers > 0 || ping.IsCompleted, "the wait before resuming");
        clock.Advance(TimeSpan.FromSeconds(1));

        // Lost, with what the server said: the application may send it again.
        var lost = await Assert.ThrowsAsync<McpRequestLostException>(() => ping.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(400, Assert.IsType<McpHttpException>(lost.InnerException).StatusCode);
    }

    [Fact]
    public async Task Resuming_a_stream_that_never_advances_gives_up_after_the_bounded_attempts()
    {
        var clock = new TestClock();
        int gets = 0;
        await using var server = await StartPingStreamServerAsync(context =>
        {
            // Accepts the resume and closes at once, forever.
            Interlocked.Increment(ref gets);
            context.Response.ContentType = "text/event-stream";
            return context.Response.WriteAsync(": nothing\n\n");
        });
        await using var client = await ConnectAsync(server, o => { o.TimeProvider = clock; o.OpenStandaloneStream = false; o.MaxReconnectAttempts = 3; });

        var ping = client.PingAsync();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!ping.IsCompleted && DateTime.UtcNow < deadline)
        {
            if (clock.PendingTimers > 0)
            {
                clock.Advance(TimeSpan.FromSeconds(1));
            }

            await Task.Delay(10);
        }

        // The transport gave up: an I/O failure, not an error the server answered.
        var error = await Assert.ThrowsAsync<McpHttpException>(() => ping);
        Assert.Contains("could not be resumed after 3 attempts", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, gets);
    }
    [Fact]
    public async Task A_2026_request_whose_answer_stream_breaks_is_sent_again_as_a_new_request_never_resumed_M26_HTTP_NO_RESUME()
    {
        var calls = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var server = await ScriptedServer.StartPostOnlyAsync(async (context, body) =>
        {
            switch (MethodOf(body))
            {
                case "server/discover":
                    await ScriptedServer.WriteJsonAsync(context, """{"jsonrpc":"2.0","id":ID,"result":{"supportedVersions":["2026-07-28"],"capabilities":{"tools":{}}}}""".Replace("ID", IdOf(body), StringComparison.Ordinal));
                    break;
                default:
                    calls.Enqueue(IdOf(body));

                    // An event id and a retry, as a 2025 server would send before closing: none of it invites a resume.
                    context.Response.ContentType = "text/event-stream";
                    await context.Response.WriteAsync("id: s:1\nretry: 10\ndata: \n\n");
                    break;
            }
        });
        await using var client = await ConnectAsync(server);
        Assert.True(client.IsPerRequest);

        // Sent once more as a new request (a new id), and lost again: the caller learns it, and nothing was resumed.
        await Assert.ThrowsAsync<McpRequestLostException>(() => client.CallToolAsync("t"));
        Assert.Equal(2, calls.Count);
        Assert.NotEqual(calls.First(), calls.Last());
        Assert.DoesNotContain(server.Requests, r => r.StartsWith("GET", StringComparison.Ordinal));
    }
}

using McpSharp.AspNetCore.Tests.TestSupport;
using McpSharp.Client;
using McpSharp.Protocol;
using McpSharp.Tests.TestSupport;
using McpSharp.Transports.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace McpSharp.AspNetCore.Tests;

/// <summary>
/// 503 and 429 say the server did not process the message (a cluster node whose Redis is briefly away answers 503 with
/// Retry-After): the client sends the POST again after the wait the server asks for, a bounded number of times, and
/// the application sees the answer, not the outage.
/// </summary>
public sealed class UnavailableRetryTests
{
    private static string Text(CallToolResult result) => ((TextContentBlock)result.Content[0]).Text;

    // Answers the next `refuse` POSTs with the status and Retry-After given, and counts them.
    private sealed class Refuser
    {
        private int _refuse;
        private int _refused;

        public int Refused => Volatile.Read(ref _refused);

        public int Status { get; init; } = StatusCodes.Status503ServiceUnavailable;

        public string? RetryAfter { get; init; }

        public void RefuseNext(int count) => Volatile.Write(ref _refuse, count);

        public void Install(WebApplication app) => app.Use(async (context, next) =>
        {
            if (HttpMethods.IsPost(context.Request.Method) && Interlocked.Decrement(ref _refuse) >= 0)
            {
                Interlocked.Increment(ref _refused);
                context.Response.StatusCode = Status;
                if (RetryAfter is not null)
                {
                    context.Response.Headers.RetryAfter = RetryAfter;
                }

                return;
            }

            await next(context);
        });
    }

    private static async Task<McpClient> ConnectAsync(TestServer server, TimeProvider? clock = null, int? retries = null)
    {
        var options = new HttpClientTransportOptions { Endpoint = server.Endpoint, TimeProvider = clock, OpenStandaloneStream = false };
        if (retries is { } count)
        {
            options.MaxUnavailableRetries = count;
        }

        return await McpClient.ConnectAsync(new StreamableHttpClientTransport(options), new McpClientOptions { ProtocolMode = ProtocolMode.Legacy });
    }

    [Fact]
    public async Task A_post_answered_503_is_sent_again_after_the_servers_retry_after_and_the_call_succeeds()
    {
        var refuser = new Refuser { RetryAfter = "5" };
        await using var server = await TestServer.StartAsync(pipeline: refuser.Install);
        var clock = new TestClock();
        await using var client = await ConnectAsync(server, clock);

        refuser.RefuseNext(2);
        var call = client.CallToolAsync("echo", new Dictionary<string, System.Text.Json.JsonElement> { ["text"] = TestServer.Json("\"hi\"") });
        await Eventually.WaitUntilAsync(() => refuser.Refused == 1 && clock.PendingTimers > 0, "the first 503 and the wait it asks for");

        // Not before the server's 5 s.
        clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(1, refuser.Refused);
        Assert.True(clock.PendingTimers > 0);
        clock.Advance(TimeSpan.FromSeconds(1));
        await Eventually.WaitUntilAsync(() => refuser.Refused == 2 && clock.PendingTimers > 0, "the second 503");
        clock.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal("echo:hi", Text(await call.WaitAsync(TimeSpan.FromSeconds(30))));
        Assert.Equal(2, refuser.Refused);
    }

    [Fact]
    public async Task A_429_without_retry_after_is_sent_again_after_the_default_delay()
    {
        var refuser = new Refuser { Status = StatusCodes.Status429TooManyRequests };
        await using var server = await TestServer.StartAsync(pipeline: refuser.Install);
        var clock = new TestClock();
        await using var client = await ConnectAsync(server, clock);

        refuser.RefuseNext(1);
        var call = client.CallToolAsync("echo", new Dictionary<string, System.Text.Json.JsonElement> { ["text"] = TestServer.Json("\"again\"") });
        await Eventually.WaitUntilAsync(() => refuser.Refused == 1 && clock.PendingTimers > 0, "the 429 and the wait");
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("echo:again", Text(await call.WaitAsync(TimeSpan.FromSeconds(30))));
    }

    [Fact]
    public async Task A_server_that_stays_unavailable_fails_the_call_with_503_after_the_retries()
    {
        var refuser = new Refuser { RetryAfter = "0" };
        await using var server = await TestServer.StartAsync(pipeline: refuser.Install);
        await using var client = await ConnectAsync(server, retries: 2);

        refuser.RefuseNext(int.MaxValue);
        var failure = await Assert.ThrowsAsync<McpHttpException>(() => client.CallToolAsync("echo"));
        Assert.Equal(503, failure.StatusCode);
        Assert.Equal(3, refuser.Refused);
    }
}

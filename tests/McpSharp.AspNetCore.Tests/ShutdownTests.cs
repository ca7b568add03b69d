using System.Net;
using McpSharp.AspNetCore.Tests.TestSupport;
using McpSharp.Protocol;
using McpSharp.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static McpSharp.AspNetCore.Tests.TestSupport.TestServer;

namespace McpSharp.AspNetCore.Tests;

/// <summary>
/// Graceful shutdown answers or fails every accepted request (issue 16): a request that finishes within the grace
/// period gets its result, one that does not is stopped and answered with a shutting-down error, and both streams then
/// end; no client is left waiting for an answer that will never come.
/// </summary>
public sealed class ShutdownTests
{
    [Fact]
    public async Task On_shutdown_a_request_that_finishes_in_the_grace_period_is_answered_and_one_that_does_not_gets_an_error()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = new TestClock();
        var server = await TestServer.StartAsync(http => http.ShutdownGrace = TimeSpan.FromSeconds(2), time: clock, configure: s =>
        {
            s.Tools.Add(new Tool { Name = "finishing", InputSchema = Json("""{"type":"object"}""") }, async ctx =>
            {
                // Finishes once the shutdown has begun, well within the grace period.
                await release.Task.WaitAsync(ctx.CancellationToken);
                return CallToolResult.FromText("finished");
            });
            s.Tools.Add(new Tool { Name = "endless", InputSchema = Json("""{"type":"object"}""") }, async ctx =>
            {
                started.TrySetResult();
                await Task.Delay(Timeout.Infinite, ctx.CancellationToken);
                return CallToolResult.FromText("never");
            });
        });
        string sid = await server.InitializeAsync();
        using var finishing = await server.PostAsync("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"finishing"}}""", sid);
        using var endless = await server.PostAsync("""{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"endless"}}""", sid);
        Assert.Equal(HttpStatusCode.OK, finishing.StatusCode);
        Assert.Equal(HttpStatusCode.OK, endless.StatusCode);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // The host begins to stop (what SIGTERM does): the finishing tool is let go as it begins, the endless one never.
        var lifetime = server.Services.GetRequiredService<IHostApplicationLifetime>();
        lifetime.ApplicationStopping.Register(() => release.TrySetResult());
        int timers = clock.PendingTimers;
        var stopping = Task.Run(lifetime.StopApplication);

        // The finishing request answers within the grace period; then the period runs out (on the test's clock) with
        // the endless one still running.
        var finished = await ReadMessagesAsync(finishing).WaitAsync(TimeSpan.FromSeconds(30));
        await Eventually.WaitUntilAsync(() => clock.PendingTimers > timers, "the grace period to start");
        clock.Advance(TimeSpan.FromSeconds(2));
        var stopped = await ReadMessagesAsync(endless).WaitAsync(TimeSpan.FromSeconds(30));
        await stopping.WaitAsync(TimeSpan.FromSeconds(30));
        await server.DisposeAsync();

        Assert.Equal("finished", Assert.Single(finished).GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString());
        var error = Assert.Single(stopped).GetProperty("error");
        Assert.Equal(McpErrorCodes.ServerError, error.GetProperty("code").GetInt32());
        Assert.Contains("shutting down", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}

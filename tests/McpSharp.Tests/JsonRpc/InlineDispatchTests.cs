using McpSharp.JsonRpc;
using McpSharp.Protocol;
using McpSharp.Tests.TestSupport;
using McpSharp.Transports.InMemory;
using static McpSharp.Tests.TestSupport.ConnectionPair;

namespace McpSharp.Tests.JsonRpc;

/// <summary>
/// Handlers run on the read loop until their first await; one that holds the loop past the stall threshold has reading
/// handed over to another thread. Timed by a manual clock: the hand-off happens exactly when the test advances it.
/// </summary>
public sealed class InlineDispatchTests : IAsyncDisposable
{
    // The stall watch runs on the system clock unless told otherwise; here it runs on the test's.
    private readonly ConnectionPair _pair = new(new JsonRpcOptions { RequestTimeout = TimeSpan.FromMinutes(10), InlineStallThreshold = TimeSpan.FromMilliseconds(50) }, stallWatchOnTestClock: true);

    private Task<JsonPayload> Send(string method) => _pair.Left.SendRequestAsync(method, JsonPayload.None, null, null, default).AsTask();

    [Fact]
    public async Task A_handler_that_blocks_the_read_loop_has_reading_handed_over_after_the_stall_threshold()
    {
        using var gate = new ManualResetEventSlim();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _pair.HandlerB.OnRequest = (request, _) =>
        {
            if (request.Method == "block")
            {
                started.TrySetResult();
                gate.Wait(TimeSpan.FromSeconds(60), CancellationToken.None);
                return ValueTask.FromResult(Raw("\"unblocked\""));
            }

            return ValueTask.FromResult(Raw("\"pong\""));
        };

        var blocked = Send("block");
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var ping = Send("quick");

        // The stall watch decides on the connection's clock: past the threshold, a new loop reads "quick".
        await _pair.Time.WaitForTimersAsync();
        _pair.Time.Advance(TimeSpan.FromMilliseconds(60));
        Assert.Equal("\"pong\"", Text(await ping.WaitAsync(TimeSpan.FromSeconds(30))));
        Assert.False(blocked.IsCompleted);

        gate.Set();
        Assert.Equal("\"unblocked\"", Text(await blocked.WaitAsync(TimeSpan.FromSeconds(30))));
        Assert.Equal("\"pong\"", Text(await Send("quick").WaitAsync(TimeSpan.FromSeconds(30))));
    }

    [Fact]
    public async Task A_handler_waiting_synchronously_for_a_response_only_its_read_loop_can_deliver_is_rescued()
    {
        // Sync over async on the read loop: the response to "inner" can only be read by the loop "outer" is blocking.
        _pair.HandlerA.OnRequest = (_, _) => ValueTask.FromResult(Raw("\"inner answer\""));
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _pair.HandlerB.OnRequest = (_, _) =>
        {
            var inner = _pair.Right.SendRequestAsync("inner", JsonPayload.None, null, null, default).AsTask();
            started.TrySetResult();
            string answer = Text(inner.GetAwaiter().GetResult());
            return ValueTask.FromResult(Raw(answer == "\"inner answer\"" ? "\"rescued\"" : "\"wrong answer\""));
        };

        var outer = Send("outer");
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await _pair.Time.WaitForTimersAsync();
        _pair.Time.Advance(TimeSpan.FromMilliseconds(60));
        Assert.Equal("\"rescued\"", Text(await outer.WaitAsync(TimeSpan.FromSeconds(30))));
    }

    [Fact]
    public Task The_stall_watch_keeps_real_time_when_the_connection_runs_on_a_fake_clock() =>
        // A user testing timeouts with a fake clock that never moves: a blocking handler still does not stop reading.
        BlockingHandlerDoesNotStopReadingAsync(new JsonRpcOptions(), new TestClock());

    [Fact]
    public async Task A_handler_that_awaits_frees_the_loop_at_its_first_await_without_any_hand_off()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _pair.HandlerB.OnRequest = async (request, _) =>
        {
            if (request.Method == "slow")
            {
                await release.Task;
                return Raw("\"slow\"");
            }

            return Raw("\"fast\"");
        };

        var slow = Send("slow");
        Assert.Equal("\"fast\"", Text(await Send("fast").WaitAsync(TimeSpan.FromSeconds(30))));
        release.SetResult();
        Assert.Equal("\"slow\"", Text(await slow.WaitAsync(TimeSpan.FromSeconds(30))));
    }

    [Fact]
    public Task With_inline_dispatch_off_a_blocking_handler_never_holds_up_reading() =>
        // No clock moves here: the pool runs "block" while the loop goes on reading.
        BlockingHandlerDoesNotStopReadingAsync(new JsonRpcOptions { RunHandlersInline = false }, _pair.Time);

    /// <summary>A server whose "block" handler blocks its thread answers "quick" meanwhile, with no clock advanced.</summary>
    private static async Task BlockingHandlerDoesNotStopReadingAsync(JsonRpcOptions options, TimeProvider clock)
    {
        var (a, b) = InMemoryTransport.CreatePair();
        using var gate = new ManualResetEventSlim();
        var handler = new DelegateHandler
        {
            OnRequest = (request, _) =>
            {
                if (request.Method == "block")
                {
                    gate.Wait(TimeSpan.FromSeconds(60), CancellationToken.None);
                }

                return ValueTask.FromResult(Raw("\"done\""));
            },
        };
        using var stop = new CancellationTokenSource();
        var client = new JsonRpcConnection(a, new DelegateHandler(), null, clock);
        var server = new JsonRpcConnection(b, handler, options, clock);
        var runs = Task.WhenAll(client.RunAsync(stop.Token), server.RunAsync(stop.Token));
        var blocked = client.SendRequestAsync("block", JsonPayload.None, null, Timeout.InfiniteTimeSpan, default).AsTask();
        Assert.Equal("\"done\"", Text(await client.SendRequestAsync("quick", JsonPayload.None, null, Timeout.InfiniteTimeSpan, default).AsTask().WaitAsync(TimeSpan.FromSeconds(30))));
        Assert.False(blocked.IsCompleted);
        gate.Set();
        await blocked.WaitAsync(TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        await runs.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public ValueTask DisposeAsync() => _pair.DisposeAsync();
}

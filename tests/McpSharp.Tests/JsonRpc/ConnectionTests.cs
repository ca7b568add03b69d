using System.Text.Json;
using McpSharp.JsonRpc;
using McpSharp.Protocol;
using McpSharp.Tests.TestSupport;
using static McpSharp.Tests.TestSupport.ConnectionPair;

namespace McpSharp.Tests.JsonRpc;

/// <summary>The engine between two real connections over an in-memory transport.</summary>
public sealed class ConnectionTests : IAsyncDisposable
{
    private readonly ConnectionPair _pair;

    public ConnectionTests()
        : this(new JsonRpcOptions { RequestTimeout = TimeSpan.FromSeconds(5) })
    {
    }

    private ConnectionTests(JsonRpcOptions options) => _pair = new ConnectionPair(options);

    [Fact]
    public async Task Concurrent_requests_get_their_own_responses_BASE_RES_ID()
    {
        _pair.HandlerB.OnRequest = async (request, ct) =>
        {
            var n = request.Params.Deserialize(McpJsonContext.Default.JsonElement).GetProperty("n").GetInt32();
            await Task.Yield();
            return Raw($$"""{"n":{{n}}}""");
        };

        var calls = Enumerable.Range(0, 200).Select(async n =>
            JsonDocument.Parse(Text(await _pair.Left.SendRequestAsync("echo", Raw($$"""{"n":{{n}}}"""), null, TimeSpan.FromSeconds(30), default))).RootElement.GetProperty("n").GetInt32());
        int[] results = await Task.WhenAll(calls);
        Assert.Equal(Enumerable.Range(0, 200), results);
    }

    [Fact]
    public async Task Ids_of_sent_requests_are_unique_BASE_REQ_ID_UNIQUE()
    {
        var seen = new System.Collections.Concurrent.ConcurrentBag<RequestId>();
        _pair.HandlerB.OnRequest = (request, ct) =>
        {
            seen.Add(request.Id);
            return ValueTask.FromResult(JsonPayload.None);
        };

        await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => _pair.Left.SendRequestAsync("x", JsonPayload.None, null, null, default).AsTask()));
        Assert.Equal(100, seen.Distinct().Count());
    }

    [Fact]
    public async Task Unknown_method_error_from_handler_reaches_the_caller_with_its_code()
    {
        _pair.HandlerB.OnRequest = (request, ct) => throw new McpProtocolException(McpErrorCodes.MethodNotFound, "Method not found: nope");
        var error = await Assert.ThrowsAsync<McpProtocolException>(() => _pair.Left.SendRequestAsync("nope", JsonPayload.None, null, null, default).AsTask());
        Assert.Equal(McpErrorCodes.MethodNotFound, error.ErrorCode);
        Assert.Equal("Method not found: nope", error.Message);
    }

    [Fact]
    public async Task A_throwing_handler_gives_32603_without_details()
    {
        _pair.HandlerB.OnRequest = (request, ct) => throw new InvalidOperationException("secret connection string at line 42");
        var error = await Assert.ThrowsAsync<McpProtocolException>(() => _pair.Left.SendRequestAsync("boom", JsonPayload.None, null, null, default).AsTask());
        Assert.Equal(McpErrorCodes.InternalError, error.ErrorCode);
        Assert.Equal("Internal error", error.Message);
        Assert.Null(error.ErrorData);
    }

    [Fact]
    public async Task Cancelled_notification_cancels_the_handler_token_and_no_response_is_sent_CANCEL_RECEIVER()
    {
        var started = new TaskCompletionSource();
        var observed = new TaskCompletionSource<bool>();
        _pair.HandlerB.OnRequest = async (request, ct) =>
        {
            started.SetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                observed.SetResult(true);
                throw;
            }

            return JsonPayload.None;
        };

        using var cancel = new CancellationTokenSource();
        var call = _pair.Left.SendRequestAsync("slow", JsonPayload.None, null, TimeSpan.FromMinutes(5), cancel.Token).AsTask();
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.True(await observed.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        await Eventually.WaitUntilAsync(() => _pair.Right.PendingIncomingRequests == 0);
    }

    [Fact]
    public async Task A_request_without_a_response_times_out_and_sends_cancelled_TIMEOUT_CANCEL()
    {
        var started = new TaskCompletionSource();
        var cancelledByPeer = new TaskCompletionSource();
        _pair.HandlerB.OnRequest = async (request, ct) =>
        {
            ct.Register(() => cancelledByPeer.TrySetResult());
            started.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return JsonPayload.None;
        };

        var call = _pair.Left.SendRequestAsync("slow", JsonPayload.None, null, TimeSpan.FromSeconds(5), default).AsTask();
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await _pair.Time.WaitForTimersAsync();
        _pair.Time.Advance(TimeSpan.FromSeconds(5));

        await Assert.ThrowsAsync<TimeoutException>(() => call);
        await cancelledByPeer.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_late_response_after_cancel_is_dropped_CANCEL_LATE_RESP()
    {
        var release = new TaskCompletionSource();
        _pair.HandlerB.OnRequest = async (request, ct) =>
        {
            // Ignores cancellation on purpose: the response comes anyway, after the caller gave up.
            await release.Task;
            return Raw("""{"late":true}""");
        };

        using var cancel = new CancellationTokenSource();
        var call = _pair.Left.SendRequestAsync("slow", JsonPayload.None, null, TimeSpan.FromMinutes(5), cancel.Token).AsTask();
        await Eventually.WaitUntilAsync(() => _pair.Right.PendingIncomingRequests == 1);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        release.SetResult();

        // The connection keeps working and the late response did not complete anything else.
        _pair.HandlerB.OnRequest = (r, ct) => ValueTask.FromResult(Raw("""{"fresh":true}"""));
        Assert.Equal("""{"fresh":true}""", Text(await _pair.Left.SendRequestAsync("next", JsonPayload.None, null, null, default)));
    }

    [Fact]
    public async Task Requests_beyond_the_in_flight_and_queue_limits_get_an_error_instead_of_memory()
    {
        await using var limited = new ConnectionTests(new JsonRpcOptions { MaxConcurrentRequests = 4, MaxQueuedRequests = 4 });
        await limited.OverflowAsync();
    }

    private async Task OverflowAsync()
    {
        var release = new TaskCompletionSource();
        _pair.HandlerB.OnRequest = async (request, ct) =>
        {
            await release.Task;
            return JsonPayload.None;
        };

        // 4 running + 4 queued are accepted; the rest are refused at once.
        var calls = Enumerable.Range(0, 12).Select(_ => _pair.Left.SendRequestAsync("work", JsonPayload.None, null, TimeSpan.FromMinutes(5), default).AsTask()).ToArray();
        await Eventually.WaitUntilAsync(() => calls.Count(c => c.IsFaulted) == 4);
        release.SetResult();
        await Task.WhenAll(calls.Where(c => !c.IsFaulted).ToArray());
        foreach (var call in calls.Where(c => c.IsFaulted))
        {
            Assert.Equal(McpErrorCodes.ServerError, Assert.IsType<McpProtocolException>(call.Exception!.InnerException).ErrorCode);
        }

        Assert.Equal(8, calls.Count(c => c.IsCompletedSuccessfully));
    }

    [Fact]
    public async Task Closing_one_side_fails_the_other_sides_pending_requests()
    {
        _pair.HandlerB.OnRequest = async (request, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return JsonPayload.None;
        };

        var call = _pair.Left.SendRequestAsync("slow", JsonPayload.None, null, TimeSpan.FromMinutes(5), default).AsTask();
        await Eventually.WaitUntilAsync(() => _pair.Right.PendingIncomingRequests == 1);
        await _pair.TransportB.DisposeAsync();
        await Assert.ThrowsAsync<IOException>(() => call);
    }

    public ValueTask DisposeAsync() => _pair.DisposeAsync();
}

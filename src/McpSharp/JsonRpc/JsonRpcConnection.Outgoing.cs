using McpSharp.Diagnostics;
using McpSharp.Protocol;

namespace McpSharp.JsonRpc;

/// <summary>Requests this side sends: ids, correlation of responses, timeouts and cancellation.</summary>
internal sealed partial class JsonRpcConnection
{
    /// <summary>
    /// Sends a request and waits for its response, at most <paramref name="timeout"/> (default
    /// <see cref="JsonRpcOptions.RequestTimeout"/>). On timeout or cancellation it sends <c>notifications/cancelled</c>
    /// (TIMEOUT-CANCEL) and drops any late response (CANCEL-LATE-RESP).
    /// </summary>
    /// <exception cref="McpProtocolException">The peer answered with an error.</exception>
    /// <exception cref="TimeoutException">No response in time.</exception>
    /// <exception cref="IOException">The connection closed first.</exception>
    public ValueTask<JsonPayload> SendRequestAsync(string method, JsonPayload parameters, MessageRoute? route, TimeSpan? timeout, CancellationToken cancellationToken) =>
        SendRequestAsync(NextRequestId(), method, parameters, route, timeout, cancellationToken);

    // Numbers, or "<prefix><number>" strings when the connection's requests must be told apart from other processes'.
    private RequestId NextRequestId()
    {
        long next = Interlocked.Increment(ref _nextId);
        return _requestIdPrefix is null ? new RequestId(next) : new RequestId(_requestIdPrefix + next.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Sends a request with an id the caller chose (a string id never meets the connection's numeric ones), for a
    /// request whose id the caller must know: the server tags a <c>subscriptions/listen</c> stream's notifications with it.
    /// </summary>
    /// <exception cref="InvalidOperationException">A request with this id is still waiting for its answer.</exception>
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<JsonPayload> SendRequestAsync(RequestId id, string method, JsonPayload parameters, MessageRoute? route, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_closing, this);
        var completion = new TaskCompletionSource<JsonPayload>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_outgoing.TryAdd(id, completion))
        {
            throw new InvalidOperationException($"Request id {id} is already waiting for an answer.");
        }

        if (_closing)
        {
            // Closed between the check above and the registration: CloseAsync may have missed this one.
            completion.TrySetException(new IOException(_closeReason ?? "The connection closed before a response arrived."));
        }

        TimeSpan limit = timeout ?? _options.RequestTimeout;
        var operation = McpTelemetry.StartOutgoing(id, method, ref parameters, Telemetry);
        try
        {
            // One timer and (only for cancellable callers) one registration, both armed before sending so that a
            // stalled transport cannot hold the caller past its timeout; closing the connection fails the completion
            // directly (CloseAsync), so no linked token source is needed.
            using var timer = _time.CreateTimer(static state => ((TaskCompletionSource<JsonPayload>)state!).TrySetException(new TimeoutException()), completion, limit, Timeout.InfiniteTimeSpan);
            using var registration = cancellationToken.UnsafeRegister(static (state, token) => ((TaskCompletionSource<JsonPayload>)state!).TrySetCanceled(token), completion);
            var send = _transport.SendAsync(new JsonRpcRequest(id, method, parameters) { Route = route }, cancellationToken);
            if (!send.IsCompletedSuccessfully)
            {
                var sending = send.AsTask();
                if (await Task.WhenAny(sending, completion.Task).ConfigureAwait(false) == sending)
                {
                    await sending.ConfigureAwait(false);
                }
            }

            var answer = await completion.Task.ConfigureAwait(false);
            operation?.Succeeded(answer);
            return answer;
        }
        catch (Exception ex) when (operation is not null && Failed(operation, ex))
        {
            throw;
        }
        catch (TimeoutException)
        {
            await CancelOutgoingAsync(id, route, "Request timed out").ConfigureAwait(false);
            throw new TimeoutException($"The peer did not answer '{method}' within {limit.TotalSeconds:0.###} s.");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await CancelOutgoingAsync(id, route, "Request cancelled").ConfigureAwait(false);
            throw;
        }
        finally
        {
            _outgoing.TryRemove(id, out _);
            operation?.End();
        }
    }

    // Records the failure on the operation's span and metric; never handles the exception (an exception filter).
    private static bool Failed(McpOperation operation, Exception exception)
    {
        operation.Failed(exception);
        return false;
    }

    // The transport could not serialize a message it had accepted: a request fails now with the reason (as it would
    // have from SendAsync on a transport that serializes there), instead of at its timeout.
    private void OnMessageLost(JsonRpcMessage message, Exception reason)
    {
        string method = message switch
        {
            JsonRpcRequest request => request.Method,
            JsonRpcNotification notification => notification.Method,
            _ => "a message",
        };
        LogUnsendable(_logger, method, reason);
        if (message is JsonRpcRequest sent && _outgoing.TryRemove(sent.Id, out var completion))
        {
            completion.TrySetException(reason);
        }
    }

    private void Complete(RequestId id, JsonPayload result, JsonRpcError? error)
    {
        if (!_outgoing.TryRemove(id, out var completion))
        {
            // CANCEL-LATE-RESP: the request timed out or was cancelled; its response is dropped.
            LogLateResponse(_logger, id.ToString());
            return;
        }

        if (error is null)
        {
            completion.TrySetResult(result);
        }
        else
        {
            completion.TrySetException(new McpProtocolException(error.Code, error.Message, error.Data));
        }
    }

    private async ValueTask CancelOutgoingAsync(RequestId id, MessageRoute? route, string reason)
    {
        if (_closing)
        {
            return;
        }

        var parameters = new CancelledNotificationParams { RequestId = id, Reason = reason };
        try
        {
            await SendNotificationAsync(McpMethods.NotificationsCancelled, JsonPayload.FromValue(parameters, McpJsonContext.Default.CancelledNotificationParams), route, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            LogSendFailed(_logger, ex.Message);
        }
    }
}

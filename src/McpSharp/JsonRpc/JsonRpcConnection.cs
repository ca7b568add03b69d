using System.Collections.Concurrent;
using McpSharp.Diagnostics;
using McpSharp.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpSharp.JsonRpc;

/// <summary>
/// The JSON-RPC engine for one connection (one MCP session): reads messages from an <see cref="IMcpTransport"/>,
/// dispatches requests concurrently with a bounded number in flight, maps <c>notifications/cancelled</c> onto handler
/// cancellation tokens, and correlates the responses to requests this side sends (with timeouts).
/// </summary>
internal sealed partial class JsonRpcConnection : IAsyncDisposable
{
    // How long a graceful shutdown waits, after stopping them, for handlers to send their shutting-down answers.
    private static readonly TimeSpan StoppedAnswerWait = TimeSpan.FromSeconds(1);

    private readonly IMcpTransport _transport;
    private readonly IJsonRpcHandler _handler;
    private readonly JsonRpcOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<RequestId, IncomingRequest> _incoming = new();
    private readonly ConcurrentDictionary<RequestId, TaskCompletionSource<JsonPayload>> _outgoing = new();
    private readonly SemaphoreSlim _handlerSlots;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly CancellationTokenSource _draining = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string? _requestIdPrefix;
    private long _nextId;
    private int _pending;
    private volatile bool _closing;
    private volatile bool _answerWhenStopped;
    private int _closeStarted;
    private string? _closeReason;

    public JsonRpcConnection(IMcpTransport transport, IJsonRpcHandler handler, JsonRpcOptions? options = null, TimeProvider? timeProvider = null, ILogger? logger = null, string? requestIdPrefix = null)
    {
        _requestIdPrefix = requestIdPrefix;
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(handler);
        _transport = transport;
        _handler = handler;
        _options = options ?? new JsonRpcOptions();
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _handlerSlots = new SemaphoreSlim(Math.Max(1, _options.MaxConcurrentRequests));
        if (transport is IMessageLossTransport deferred)
        {
            deferred.MessageLost = OnMessageLost;
        }

        Telemetry = TelemetryContext.For(transport, _time);
    }

    /// <summary>What the spans and metrics of this connection's messages say about its session (set by its owner).</summary>
    public TelemetryContext Telemetry { get; set; }

    /// <summary>Cancelled when the connection closes.</summary>
    public CancellationToken Closing => _shutdown.Token;

    /// <summary>
    /// Cancelled when the connection starts to close (the peer closed its end, or the connection is disposed), before
    /// running handlers get their grace period: a handler that only waits for the peer (a subscription) ends here.
    /// </summary>
    public CancellationToken Draining => _draining.Token;

    /// <summary>Requests received and not yet answered.</summary>
    public int PendingIncomingRequests => Volatile.Read(ref _pending);

    /// <summary>Handles one message from the read loop: a request starts on this thread (or on the thread pool when <see cref="JsonRpcOptions.RunHandlersInline"/> is off).</summary>
    public ValueTask ProcessMessageAsync(JsonRpcMessage message, CancellationToken cancellationToken) =>
        ProcessMessageCoreAsync(message, inline: false, trackRequest: true, cancellationToken);

    /// <summary>
    /// Handles one message pushed by a transport that has no read loop (HTTP): a request's handler runs on the caller's
    /// thread (no hop), and the returned task completes when it has answered. With <paramref name="trackRequest"/>
    /// false the request cannot be cancelled by <c>notifications/cancelled</c> and its id need not be unique (stateless
    /// HTTP, where every POST stands alone); its handler's token is then <paramref name="cancellationToken"/> (for
    /// example the HTTP request's abort, where a disconnect cancels the request).
    /// </summary>
    public ValueTask ProcessInlineAsync(JsonRpcMessage message, bool trackRequest, CancellationToken cancellationToken) =>
        ProcessMessageCoreAsync(message, inline: true, trackRequest, cancellationToken);

    private async ValueTask ProcessMessageCoreAsync(JsonRpcMessage message, bool inline, bool trackRequest, CancellationToken cancellationToken)
    {
        switch (message)
        {
            case JsonRpcRequest request:
                if (_handler.MustHandleInOrder(request))
                {
                    await ProcessRequestInOrderAsync(request, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await DispatchAsync(request, inline, trackRequest, cancellationToken).ConfigureAwait(false);
                }

                break;
            case JsonRpcNotification { Method: McpMethods.NotificationsCancelled } notification:
                OnCancelled(notification);
                break;
            case JsonRpcNotification notification:
                var operation = McpTelemetry.StartIncoming(notification, Telemetry);
                try
                {
                    await _handler.HandleNotificationAsync(notification, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // A failing notification handler never ends the connection.
                    LogNotificationFailed(_logger, notification.Method, ex);
                    operation?.Failed(ex);
                }
                finally
                {
                    operation?.End();
                }

                break;
            case JsonRpcResponse response:
                Complete(response.Id, response.Result, error: null);
                break;
            case JsonRpcErrorResponse error when error.Id is { } id:
                Complete(id, default, error.Error);
                break;
            case JsonRpcErrorResponse error:
                LogUncorrelatedError(_logger, error.Error.Code, error.Error.Message);
                break;
        }
    }

    /// <summary>Sends a notification.</summary>
    public ValueTask SendNotificationAsync(string method, JsonPayload parameters, MessageRoute? route, CancellationToken cancellationToken) =>
        _transport.SendAsync(new JsonRpcNotification(method, parameters) { Route = route }, cancellationToken);

    /// <summary>
    /// Closes the connection at once: pending outgoing requests fail and running handlers are cancelled (unlike the
    /// peer closing its side, which gives handlers <see cref="JsonRpcOptions.ShutdownTimeout"/> to finish).
    /// </summary>
    public ValueTask DisposeAsync() => CloseAsync(TimeSpan.Zero);

    /// <summary>
    /// Closes gracefully: requests already running get up to <paramref name="grace"/> to answer; a request that comes
    /// meanwhile, and one still running after it, is answered with an error saying the peer is shutting down (instead of
    /// nothing), so its sender fails at once rather than waiting for an answer that will not come.
    /// </summary>
    public ValueTask ShutdownAsync(TimeSpan grace)
    {
        _answerWhenStopped = true;
        return CloseAsync(grace);
    }

    private async ValueTask ProcessRequestInOrderAsync(JsonRpcRequest request, CancellationToken cancellationToken)
    {
        var operation = McpTelemetry.StartIncoming(request, Telemetry);
        try
        {
            JsonRpcMessage reply;
            try
            {
                var result = await _handler.HandleRequestAsync(request, cancellationToken).ConfigureAwait(false);
                reply = new JsonRpcResponse(request.Id, result);
                operation?.Succeeded(result);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                reply = ToErrorResponse(request, ex);
                operation?.Failed(((JsonRpcErrorResponse)reply).Error);
            }

            reply.Route = request.Route;
            await TrySendAsync(reply).ConfigureAwait(false);
        }
        finally
        {
            operation?.End();
        }
    }

    private async ValueTask DispatchAsync(JsonRpcRequest request, bool inline, bool trackRequest, CancellationToken untrackedToken)
    {
        if (_closing)
        {
            // The connection is closing: nothing new starts.
            if (_answerWhenStopped)
            {
                await TrySendAsync(ShuttingDown(request)).ConfigureAwait(false);
            }
            else
            {
                request.Route?.OnRequestEndedWithoutResponse(request.Id);
            }

            return;
        }

        if (Interlocked.Increment(ref _pending) > _options.MaxConcurrentRequests + _options.MaxQueuedRequests)
        {
            ReleasePending();
            LogTooManyRequests(_logger, request.Method);
            await TrySendAsync(new JsonRpcErrorResponse(request.Id, new JsonRpcError(McpErrorCodes.ServerError, "Too many requests in flight; retry later.")) { Route = request.Route }).ConfigureAwait(false);
            return;
        }

        var entry = new IncomingRequest(this, request, trackRequest, untrackedToken);
        if (trackRequest && !_incoming.TryAdd(request.Id, entry))
        {
            // BASE-REQ-ID-UNIQUE: the peer reused the id of a request still in flight.
            entry.Dispose();
            ReleasePending();
            await TrySendAsync(new JsonRpcErrorResponse(request.Id, new JsonRpcError(McpErrorCodes.InvalidRequest, "Invalid Request: the id is already in use by a request in progress.")) { Route = request.Route }).ConfigureAwait(false);
            return;
        }

        if (inline)
        {
            await RunHandlerAsync(entry).ConfigureAwait(false);
            return;
        }

        if (_options.RunHandlersInline)
        {
            // On the read loop until the handler's first await: no thread hop. A handler that holds the loop longer
            // than the stall threshold has reading handed over to another thread (ReadLoop.cs).
            _ = RunHandlerAsync(entry);
            return;
        }

        // On the thread pool, so a slow or blocking handler never holds up reading.
        ThreadPool.UnsafeQueueUserWorkItem(entry, preferLocal: false);
    }

    private async Task RunHandlerAsync(IncomingRequest entry)
    {
        var request = entry.Request;
        var token = entry.Token;
        bool acquired = false;
        bool answered = false;
        var operation = McpTelemetry.StartIncoming(request, Telemetry);
        try
        {
            await _handlerSlots.WaitAsync(token).ConfigureAwait(false);
            acquired = true;
            var result = await _handler.HandleRequestAsync(request, token).ConfigureAwait(false);
            if (!entry.CancelledByPeer)
            {
                answered = true;
                operation?.Succeeded(result);
                await TrySendAsync(new JsonRpcResponse(request.Id, result) { Route = request.Route }).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (entry.CancelledByPeer || (ex is OperationCanceledException && token.IsCancellationRequested))
        {
            // CANCEL-RECEIVER: a cancelled request gets no response; neither does one cut off by closing, unless the
            // close is a graceful shutdown, whose stopped requests are answered so their senders fail at once.
            operation?.Failed("cancelled", statusCode: null, description: null);
            if (!entry.CancelledByPeer && _answerWhenStopped)
            {
                answered = true;
                await TrySendAsync(ShuttingDown(request)).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            answered = true;
            var error = ToErrorResponse(request, ex);
            operation?.Failed(error.Error);
            await TrySendAsync(error).ConfigureAwait(false);
        }
        finally
        {
            operation?.End();
            if (acquired)
            {
                _handlerSlots.Release();
            }

            if (!answered)
            {
                request.Route?.OnRequestEndedWithoutResponse(request.Id);
            }

            if (entry.Tracked)
            {
                _incoming.TryRemove(new KeyValuePair<RequestId, IncomingRequest>(request.Id, entry));
            }

            entry.Dispose();
            ReleasePending();
        }
    }

    private static JsonRpcErrorResponse ShuttingDown(JsonRpcRequest request) =>
        new(request.Id, new JsonRpcError(McpErrorCodes.ServerError, "The server is shutting down: the request was stopped (it may have partly run).")) { Route = request.Route };

    private JsonRpcErrorResponse ToErrorResponse(JsonRpcRequest request, Exception ex)
    {
        JsonRpcError error;
        if (ex is McpProtocolException protocol)
        {
            error = new JsonRpcError(protocol.ErrorCode, protocol.Message, protocol.ErrorData);
        }
        else
        {
            // Never leak exception details or stack traces to the peer; they go to the log.
            LogHandlerFailed(_logger, request.Method, ex);
            error = new JsonRpcError(McpErrorCodes.InternalError, "Internal error");
        }

        return new JsonRpcErrorResponse(request.Id, error) { Route = request.Route };
    }

    private void OnCancelled(JsonRpcNotification notification)
    {
        CancelledNotificationParams? parameters;
        try
        {
            parameters = notification.Params.Deserialize(McpJsonContext.Default.CancelledNotificationParams);
        }
        catch (System.Text.Json.JsonException)
        {
            parameters = null;
        }

        // CANCEL-IGNORE: unknown, finished or malformed cancellations are ignored.
        if (parameters?.RequestId is { } id && _incoming.TryGetValue(id, out var entry))
        {
            LogCancelled(_logger, entry.Request.Method, id.ToString(), parameters.Reason);
            entry.CancelByPeer();
        }
    }

    private async ValueTask TrySendAsync(JsonRpcMessage message)
    {
        try
        {
            await _transport.SendAsync(message, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            LogSendFailed(_logger, ex.Message);
        }
    }

    private void ReleasePending()
    {
        if (Interlocked.Decrement(ref _pending) == 0 && _closing)
        {
            _drained.TrySetResult();
        }
    }

    private async ValueTask CloseAsync(TimeSpan grace)
    {
        if (Interlocked.Exchange(ref _closeStarted, 1) == 0)
        {
            // Interlocked: a full fence between announcing the close and reading the pending work below, so no
            // concurrent ReleasePending or SendRequestAsync can slip between them unnoticed.
            _closing = true;
            Interlocked.MemoryBarrier();
            foreach (var pair in _outgoing)
            {
                pair.Value.TrySetException(new IOException(_closeReason ?? "The connection closed before a response arrived."));
            }

            if (Volatile.Read(ref _pending) == 0)
            {
                _drained.TrySetResult();
            }

            _draining.Cancel();
        }

        if (grace > TimeSpan.Zero)
        {
            try
            {
                await _drained.Task.WaitAsync(grace, _time).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                LogShutdownTimedOut(_logger, Volatile.Read(ref _pending));
            }
        }

        // Every caller cancels what is still running: a DisposeAsync during RunAsync's grace period ends it at once.
        StopStallWatch();
        await _shutdown.CancelAsync().ConfigureAwait(false);
        foreach (var pair in _incoming)
        {
            pair.Value.Cancel();
        }

        if (_answerWhenStopped && grace > TimeSpan.Zero)
        {
            // A graceful shutdown answers what it stopped: the handlers get a moment to send their error before the
            // transport closes (a handler that ignores cancellation is not waited for past it).
            try
            {
                await _drained.Task.WaitAsync(StoppedAnswerWait, _time).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                LogShutdownTimedOut(_logger, Volatile.Read(ref _pending));
            }
        }
    }

    /// <summary>A request in flight: its cancellation and its place on the thread pool.</summary>
    private sealed class IncomingRequest : IThreadPoolWorkItem, IDisposable
    {
        private readonly JsonRpcConnection _connection;
        private readonly CancellationTokenSource? _cancellation;

        public IncomingRequest(JsonRpcConnection connection, JsonRpcRequest request, bool tracked, CancellationToken untrackedToken)
        {
            _connection = connection;
            Request = request;
            Tracked = tracked;

            // Only a tracked request can be cancelled by the peer or by shutdown (both through _incoming); an untracked
            // one (stateless HTTP) needs no token source of its own: it is cancelled by whatever its transport passed.
            _cancellation = tracked ? new CancellationTokenSource() : null;
            Token = _cancellation?.Token ?? untrackedToken;
        }

        public bool Tracked { get; }

        public JsonRpcRequest Request { get; }

        public CancellationToken Token { get; }

        public bool CancelledByPeer { get; private set; }

        public void CancelByPeer()
        {
            CancelledByPeer = true;
            Cancel();
        }

        public void Cancel()
        {
            try
            {
                _cancellation?.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The handler finished in the meantime (CANCEL-RACE).
            }
        }

        public void Execute() => _ = _connection.RunHandlerAsync(this);

        public void Dispose() => _cancellation?.Dispose();
    }
}

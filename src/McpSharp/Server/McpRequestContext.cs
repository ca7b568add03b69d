using System.Text.Json;
using McpSharp.JsonRpc;
using McpSharp.Protocol;

namespace McpSharp.Server;

/// <summary>
/// What a handler knows about the request it serves, and how it talks back: progress, log messages and
/// server-to-client requests sent from here travel with the request (on HTTP, on that request's response stream).
/// </summary>
public abstract class McpRequestContext
{
    private ProgressReporter? _progress;

    private protected McpRequestContext(McpSession session, JsonRpcRequest request, CancellationToken cancellationToken)
    {
        Session = session;
        Request = request;
        Client = session.ClientFor(request);
        CancellationToken = cancellationToken;
    }

    /// <summary>
    /// What this request tells about its client (protocol version, client info, capabilities, log level): the session's
    /// negotiated state for a 2025-era session, or this request's own for a stateless or 2026-07-28 one.
    /// </summary>
    public McpClientContext Client { get; }

    /// <summary>The session (one client) this request belongs to.</summary>
    public McpSession Session { get; }

    /// <summary>The server.</summary>
    public McpServer Server => Session.Server;

    /// <summary>The request id.</summary>
    public RequestId RequestId => Request.Id;

    /// <summary>Cancelled when the client cancels the request (<c>notifications/cancelled</c>) or the session ends.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>The client's progress token, when it asked for progress.</summary>
    public ProgressToken? ProgressToken => Request.ProgressToken;

    /// <summary>
    /// Reports progress as <c>notifications/progress</c>; does nothing when the client gave no progress token.
    /// Reports that do not increase are dropped (PROG-INCREASE), and none are sent after the request completes.
    /// </summary>
    public IProgress<ProgressNotificationValue> Progress =>
        Volatile.Read(ref _progress) ?? Interlocked.CompareExchange(ref _progress, new ProgressReporter(this), null) ?? _progress!;

    /// <summary>
    /// Where this request's response goes (<see cref="JsonRpcMessage.Route"/>): for example the HTTP response stream it
    /// arrived on; null on stdio. Transport packages build helpers on it; handlers rarely need it.
    /// </summary>
    public MessageRoute? Route => Request.Route;

    internal JsonRpcRequest Request { get; }

    /// <summary>Sends a log message about this request, if the client's log level lets it through (<see cref="Client"/>).</summary>
    public ValueTask LogAsync(LoggingLevel level, string message, string? logger = null) =>
        Client.ShouldLog(level)
            ? Session.LogAsync(Client, level, JsonSerializer.SerializeToElement(message, McpJsonContext.Default.String), logger, Request.Route, CancellationToken)
            : ValueTask.CompletedTask;

    /// <summary>Sends a log message with structured data about this request, if the client's level lets it through.</summary>
    public ValueTask LogAsync(LoggingLevel level, JsonElement data, string? logger = null) =>
        Session.LogAsync(Client, level, data, logger, Request.Route, CancellationToken);

    /// <summary>Asks the client to sample from a model (<c>sampling/createMessage</c>).</summary>
    public ValueTask<CreateMessageResult> SampleAsync(CreateMessageRequestParams parameters, TimeSpan? timeout = null) =>
        Session.SampleAsync(Client, parameters, Request.Route, timeout, CancellationToken);

    /// <summary>Asks the client for input from the user (<c>elicitation/create</c>).</summary>
    public ValueTask<ElicitResult> ElicitAsync(ElicitRequestParams parameters, TimeSpan? timeout = null) =>
        Session.ElicitAsync(Client, parameters, Request.Route, timeout, CancellationToken);

    /// <summary>Asks the client for its roots (<c>roots/list</c>).</summary>
    public ValueTask<ListRootsResult> ListRootsAsync(TimeSpan? timeout = null) =>
        Session.ListRootsAsync(Client, Request.Route, timeout, CancellationToken);

    private sealed class ProgressReporter(McpRequestContext context) : IProgress<ProgressNotificationValue>
    {
        private readonly Lock _gate = new();
        private Task _last = Task.CompletedTask;
        private double? _lastProgress;
        private bool _completed;

        public void Report(ProgressNotificationValue value)
        {
            if (context.ProgressToken is not { } token || !double.IsFinite(value.Progress) || (value.Total is { } total && !double.IsFinite(total)))
            {
                return;
            }

            lock (_gate)
            {
                if (_completed)
                {
                    // PROG-STOP: nothing after the request completed.
                    return;
                }

                if (_lastProgress is { } previous && value.Progress <= previous)
                {
                    return;
                }

                _lastProgress = value.Progress;
                var parameters = new ProgressNotificationParams { ProgressToken = token, Progress = value.Progress, Total = value.Total, Message = value.Message };
                if (_last.IsCompleted)
                {
                    // Nothing queued: send now, so the notification keeps its place among what the handler sends next.
                    var send = Send(parameters);
                    _last = send.IsCompletedSuccessfully ? Task.CompletedTask : send.AsTask();
                    return;
                }

                // Chained behind a send still in progress, so notifications leave in the order they were reported.
                _last = _last.ContinueWith(
                    static (_, state) => ((Func<Task>)state!)(),
                    (Func<Task>)(() => Send(parameters).AsTask()),
                    CancellationToken.None,
                    TaskContinuationOptions.None,
                    TaskScheduler.Default).Unwrap();
            }
        }

        private ValueTask Send(ProgressNotificationParams parameters) =>
            context.Session.TrySendNotificationAsync(McpMethods.NotificationsProgress, JsonPayload.FromValue(parameters, McpJsonContext.Default.ProgressNotificationParams), context.Request.Route);

        public Task Complete()
        {
            lock (_gate)
            {
                _completed = true;
                return _last;
            }
        }
    }

    /// <summary>
    /// Marks the request complete (later progress reports are dropped) and waits until every progress notification
    /// reported before has been handed to the transport, so that none follows the response.
    /// </summary>
    internal Task CompleteAsync() => Volatile.Read(ref _progress)?.Complete() ?? Task.CompletedTask;
}

/// <summary>A request context with the request's typed parameters.</summary>
/// <typeparam name="TParams">The parameters type.</typeparam>
public sealed class McpRequestContext<TParams> : McpRequestContext
{
    internal McpRequestContext(McpSession session, JsonRpcRequest request, TParams parameters, CancellationToken cancellationToken)
        : base(session, request, cancellationToken)
    {
        Params = parameters;
    }

    /// <summary>The request's parameters.</summary>
    public TParams Params { get; }
}

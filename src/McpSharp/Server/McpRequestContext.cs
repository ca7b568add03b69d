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
    private InputExchange? _inputs;
    private RequestBinding? _binding;
    private McpToolTask? _task;

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

    /// <summary>
    /// Who the transport authenticated for this request (HTTP: the bearer token's principal, with its claims and
    /// scopes), or null. Never from anything the client says about itself.
    /// </summary>
    public System.Security.Claims.ClaimsPrincipal? User => Request.User;

    /// <summary>
    /// Cancelled when the client cancels the request (<c>notifications/cancelled</c>) or the session ends; once the call
    /// runs as a task (<see cref="StartTaskAsync"/>), only when the client cancels the task or it expires.
    /// </summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>True once this call runs as a task (<see cref="StartTaskAsync"/>).</summary>
    public bool IsTask => _task is not null;

    /// <summary>Set for a tools/call that may become a task.</summary>
    internal TaskLaunch? Launch { get; set; }

    /// <summary>
    /// Turns this <c>tools/call</c> into a task (the tasks extension, 2026-07-28), when it can be one: the tool declares
    /// <c>execution.taskSupport</c> (<c>optional</c> or <c>required</c>) and this request declared the extension. The
    /// call is answered now with the task's handle (<c>resultType: "task"</c>) and the handler goes on in the
    /// background: what it returns is the task's result, a <see cref="McpProtocolException"/> fails it, and
    /// <see cref="SampleAsync(CreateMessageRequestParams, TimeSpan?)"/>, <see cref="ElicitAsync(ElicitRequestParams, TimeSpan?)"/>
    /// and <see cref="ListRootsAsync(TimeSpan?)"/> make it <c>input_required</c> until the client answers with
    /// <c>tasks/update</c>. Progress and log messages are not sent for a task. Input asked for before this call is asked
    /// for in the ordinary way (an <c>input_required</c> result and a retry), so a handler can gather what it needs
    /// first and then go on as a task. Returns false, and the call goes on as an ordinary one, when it cannot be a task.
    /// </summary>
    public ValueTask<bool> StartTaskAsync()
    {
        if (_task is not null)
        {
            return new(true);
        }

        if (Launch is not { } launch)
        {
            return new(false);
        }

        return StartAsync(launch);

        async ValueTask<bool> StartAsync(TaskLaunch launch)
        {
            _task = await launch.StartAsync().ConfigureAwait(false);

            // The rest of the handler runs on the thread pool: the call is answered with the handle now, even when what
            // follows is synchronous work.
            await Task.Yield();
            return true;
        }
    }

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
        _task is null && Client.ShouldLog(level)
            ? Session.LogAsync(Client, level, JsonSerializer.SerializeToElement(message, McpJsonContext.Default.String), logger, Request.Route, CancellationToken)
            : ValueTask.CompletedTask;

    /// <summary>Sends a log message with structured data about this request, if the client's level lets it through.</summary>
    public ValueTask LogAsync(LoggingLevel level, JsonElement data, string? logger = null) =>
        _task is null ? Session.LogAsync(Client, level, data, logger, Request.Route, CancellationToken) : ValueTask.CompletedTask;

    /// <summary>
    /// Asks the client to sample from a model (<c>sampling/createMessage</c>). A 2025 client gets a request; for a
    /// 2026-07-28 client this attempt ends with an <c>input_required</c> result (see
    /// <see cref="McpInputRequiredException"/>) and the answer is here when the handler runs again on the retry.
    /// </summary>
    public ValueTask<CreateMessageResult> SampleAsync(CreateMessageRequestParams parameters, TimeSpan? timeout = null) =>
        SampleCoreAsync(null, parameters, timeout);

    /// <summary>
    /// <see cref="SampleAsync(CreateMessageRequestParams, TimeSpan?)"/> under a key of the handler's choosing (the key of
    /// the input request a 2026-07-28 client sees; a 2025 client never sees it).
    /// </summary>
    public ValueTask<CreateMessageResult> SampleAsync(string key, CreateMessageRequestParams parameters, TimeSpan? timeout = null) =>
        SampleCoreAsync(key ?? throw new ArgumentNullException(nameof(key)), parameters, timeout);

    /// <summary>
    /// Asks the client for input from the user (<c>elicitation/create</c>): a request for a 2025 client, an
    /// <c>input_required</c> round for a 2026-07-28 client (as <see cref="SampleAsync(CreateMessageRequestParams, TimeSpan?)"/>).
    /// </summary>
    public ValueTask<ElicitResult> ElicitAsync(ElicitRequestParams parameters, TimeSpan? timeout = null) =>
        ElicitCoreAsync(null, parameters, timeout);

    /// <summary><see cref="ElicitAsync(ElicitRequestParams, TimeSpan?)"/> under a key of the handler's choosing.</summary>
    public ValueTask<ElicitResult> ElicitAsync(string key, ElicitRequestParams parameters, TimeSpan? timeout = null) =>
        ElicitCoreAsync(key ?? throw new ArgumentNullException(nameof(key)), parameters, timeout);

    /// <summary>Asks the client for its roots (<c>roots/list</c>): a request for a 2025 client, an <c>input_required</c> round for a 2026-07-28 one.</summary>
    public ValueTask<ListRootsResult> ListRootsAsync(TimeSpan? timeout = null) => ListRootsCoreAsync(null, timeout);

    /// <summary><see cref="ListRootsAsync(TimeSpan?)"/> under a key of the handler's choosing.</summary>
    public ValueTask<ListRootsResult> ListRootsAsync(string key, TimeSpan? timeout = null) =>
        ListRootsCoreAsync(key ?? throw new ArgumentNullException(nameof(key)), timeout);

    /// <summary>The answers and questions of this attempt, for a 2026-07-28 request that may ask for input.</summary>
    internal bool HasInputQuestions => _inputs?.HasQuestions == true;

    private RequestBinding Binding => _binding ??= RequestBinding.Of(Request, Client.Principal);

    /// <summary>
    /// Opens the input round of a 2026-07-28 <c>tools/call</c>, <c>prompts/get</c> or <c>resources/read</c>: verifies
    /// its <c>requestState</c> (-32602 when it fails) and takes the client's answers.
    /// </summary>
    internal void OpenInputRound(InputResponseRequestParams parameters)
    {
        if (Client.IsPerRequest)
        {
            _inputs = InputExchange.Open(parameters, () => Binding, Server.RequestStates);
        }
    }

    /// <summary>The <c>input_required</c> result of this attempt.</summary>
    internal JsonPayload InputRequiredResult() => _inputs!.ToResult(Server.RequestStates, Binding);

    private ValueTask<CreateMessageResult> SampleCoreAsync(string? key, CreateMessageRequestParams parameters, TimeSpan? timeout)
    {
        if (!Client.IsPerRequest)
        {
            return Session.SampleAsync(Client, parameters, Request.Route, timeout, CancellationToken);
        }

        ArgumentNullException.ThrowIfNull(parameters);
        var sampling = Client.Capabilities.Sampling ?? throw Missing(new ClientCapabilities { Sampling = new() }, "sampling");
        if ((parameters.Tools is not null || parameters.ToolChoice is not null) && sampling.Tools is null)
        {
            throw Missing(new ClientCapabilities { Sampling = new() { Tools = [] } }, "sampling.tools");
        }

        return AskAsync(key, "sampling", McpMethods.SamplingCreateMessage, JsonSerializer.SerializeToElement(parameters, McpJsonContext.Default.CreateMessageRequestParams), McpJsonContext.Default.CreateMessageResult);
    }

    private ValueTask<ElicitResult> ElicitCoreAsync(string? key, ElicitRequestParams parameters, TimeSpan? timeout)
    {
        if (!Client.IsPerRequest)
        {
            return Session.ElicitAsync(Client, parameters, Request.Route, timeout, CancellationToken);
        }

        ArgumentNullException.ThrowIfNull(parameters);
        var elicitation = Client.Capabilities.Elicitation;
        if (elicitation is null || (parameters.IsUrlMode ? !elicitation.SupportsUrl : !elicitation.SupportsForm))
        {
            // M26-MRTR-CAPS: never an input request the client did not declare for this request.
            var required = parameters.IsUrlMode ? new ElicitationCapability { Url = [] } : new ElicitationCapability();
            throw Missing(new ClientCapabilities { Elicitation = required }, parameters.IsUrlMode ? "elicitation.url" : "elicitation");
        }

        // M26-ELICIT-URL-CHANGES: no elicitationId in 2026-07-28; the outcome is learnt from the retry.
        var wire = new ElicitRequestParams
        {
            Mode = parameters.Mode,
            Message = parameters.Message,
            RequestedSchema = parameters.RequestedSchema,
            Url = parameters.Url,
            Meta = parameters.Meta,
            AdditionalProperties = parameters.AdditionalProperties,
        };
        return AskAsync(key, "elicitation", McpMethods.ElicitationCreate, JsonSerializer.SerializeToElement(wire, McpJsonContext.Default.ElicitRequestParams), McpJsonContext.Default.ElicitResult);
    }

    private ValueTask<ListRootsResult> ListRootsCoreAsync(string? key, TimeSpan? timeout)
    {
        if (!Client.IsPerRequest)
        {
            return Session.ListRootsAsync(Client, Request.Route, timeout, CancellationToken);
        }

        _ = Client.Capabilities.Roots ?? throw Missing(new ClientCapabilities { Roots = new() }, "roots");
        return AskAsync(key, "roots", McpMethods.RootsList, null, McpJsonContext.Default.ListRootsResult);
    }

    // The answer when the client gave one; otherwise the question is recorded and this attempt ends (as a faulted task,
    // so several inputs asked side by side, e.g. with Task.WhenAll, all make it into the one input_required result).
    private ValueTask<T> AskAsync<T>(string? key, string kind, string method, JsonElement? parameters, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
        where T : class
    {
        if (_task is { } task)
        {
            // A task waits for tasks/update; the handler is not run again.
            return task.AskAsync(key, kind, method, parameters, type, CancellationToken);
        }

        var inputs = _inputs ?? throw new InvalidOperationException(
            $"'{method}' reaches a 2026-07-28 client only from tools/call, prompts/get and resources/read (as an input_required result), not from '{Request.Method}'.");
        key ??= inputs.NextKey(kind);
        if (inputs.TryAnswer(key, method, type, out var answer))
        {
            return new(answer);
        }

        inputs.Ask(key, method, parameters);
        return ValueTask.FromException<T>(new McpInputRequiredException(key));
    }

    private static McpProtocolException Missing(ClientCapabilities required, string what) =>
        McpErrors.MissingRequiredClientCapability(required, what).ToException();

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
        if (parameters is InputResponseRequestParams inputs)
        {
            // tools/call, prompts/get, resources/read: a 2026-07-28 attempt may carry answers (and must verify its state).
            OpenInputRound(inputs);
        }
    }

    /// <summary>The request's parameters.</summary>
    public TParams Params { get; }
}

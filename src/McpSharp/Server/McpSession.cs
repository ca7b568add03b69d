using System.Text.Json;
using McpSharp.Diagnostics;
using McpSharp.JsonRpc;
using McpSharp.Protocol;
using Microsoft.Extensions.Logging;

namespace McpSharp.Server;

/// <summary>
/// One client's state on a server: negotiated version, client info and capabilities, log level, resource
/// subscriptions, and the connection. Kept small; everything shared lives on <see cref="McpServer"/>.
/// </summary>
public sealed partial class McpSession : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Func<McpSessionState, CancellationToken, ValueTask>? _stateChanged;
    private readonly Func<McpAnnouncement, JsonRpcNotification, ValueTask>? _announce;
    private readonly TelemetryContext _telemetry;
    private readonly long _started;
    private HashSet<string>? _subscriptions;
    private McpClientContext? _client;
    private int _state; // 0 new, 1 initialize answered, 2 initialized notification received

    internal McpSession(McpServer server, IMcpTransport transport, McpSessionOptions options)
    {
        Server = server;
        Id = options.SessionId;
        IsStateless = options.Stateless;
        if (options.Stateless)
        {
            // Nothing is negotiated: each request brings its own client context (McpClientContext.ForStatelessRequest).
            ServerCapabilities = server.BuildCapabilities();
            _state = 2;
        }

        if (options.State is { } state)
        {
            ApplyState(state);
        }

        _stateChanged = options.StateChanged;
        _announce = options.Announce;
        Connection = new JsonRpcConnection(transport, new McpSessionHandler(this), options.JsonRpc ?? server.Options.JsonRpc, server.TimeProvider, server.Logger, options.RequestIdPrefix);
        _telemetry = Connection.Telemetry = new TelemetryContext(
            server.TimeProvider,
            server.Metrics,
            transport.NetworkTransport,
            () => IsStateless ? null : Id,
            request => request?.Client?.ProtocolVersion ?? ProtocolVersion);
        _started = server.TimeProvider.GetTimestamp();
        if (transport is IBatchingTransport batching)
        {
            // BASE-BATCH: the transport can take batches; whether this session may send them is the one batch rule's call.
            batching.CheckBatch = messages => BatchRule.Check(ProtocolVersion, messages);
        }
    }

    /// <summary>The server.</summary>
    public McpServer Server { get; }

    /// <summary>The session id (HTTP), or null (stdio).</summary>
    public string? Id { get; }

    /// <summary>True when the session stands for one stateless HTTP request (see <see cref="McpSessionOptions.Stateless"/>).</summary>
    public bool IsStateless { get; }

    /// <summary>
    /// What the client negotiated with <c>initialize</c> (and later <c>logging/setLevel</c>); null before, and always null
    /// for a stateless session, whose requests each carry their own (<see cref="McpRequestContext.Client"/>).
    /// </summary>
    public McpClientContext? Client => Volatile.Read(ref _client);

    /// <summary>The negotiated protocol version, once <c>initialize</c> was answered.</summary>
    public string? ProtocolVersion => Client?.ProtocolVersion;

    /// <summary>The client's name and version.</summary>
    public Implementation? ClientInfo => Client?.ClientInfo;

    /// <summary>The client's capabilities.</summary>
    public ClientCapabilities? ClientCapabilities => Client?.Capabilities;

    /// <summary>The capabilities this server declared to the client.</summary>
    public ServerCapabilities? ServerCapabilities { get; private set; }

    /// <summary>True once <c>initialize</c> has been answered.</summary>
    public bool HasInitialized => Volatile.Read(ref _state) >= 1;

    /// <summary>True once the client sent <c>notifications/initialized</c>; only then may the server send requests.</summary>
    public bool IsInitialized => Volatile.Read(ref _state) == 2;

    /// <summary>The lowest level the client asked for with <c>logging/setLevel</c>; null sends every level.</summary>
    public LoggingLevel? LogLevel => Client?.LogLevel;

    /// <summary>Raised when the client sends <c>notifications/roots/list_changed</c> (on the read loop: keep it short).</summary>
    public event EventHandler? RootsListChanged;

    /// <summary>Cancelled when the session ends.</summary>
    public CancellationToken Closing => Connection.Closing;

    /// <summary>Cancelled when the connection starts to close, before running requests get their grace period.</summary>
    internal CancellationToken Draining => Connection.Draining;

    internal JsonRpcConnection Connection { get; }

    /// <summary>Which era this connection serves (stdio pins one; HTTP decides per request).</summary>
    internal SessionEra Era { get; } = new();

    /// <summary>
    /// Opens the session for a transport that pushes messages (<see cref="ProcessMessageAsync"/>) instead of being read
    /// by <see cref="RunAsync"/>: the session joins the server's live sessions until it is disposed.
    /// </summary>
    public void Open() => Server.Attach(this);

    /// <summary>
    /// Handles one message for a push-based transport (HTTP): a request's handler runs on the caller's thread and the
    /// task completes once it has answered (the response goes out through the transport, routed by the message's
    /// <see cref="JsonRpcMessage.Route"/>).
    /// </summary>
    public ValueTask ProcessMessageAsync(JsonRpcMessage message, CancellationToken cancellationToken = default) =>
        Connection.ProcessInlineAsync(message, trackRequest: !IsStateless, cancellationToken);

    /// <summary>Serves the client until it disconnects or <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        Server.Attach(this);
        try
        {
            await Connection.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Server.Detach(this);
        }
    }

    /// <summary>What the client negotiated and changed so far, to serve the session elsewhere (<see cref="McpSessionOptions.State"/>).</summary>
    public McpSessionState CaptureState()
    {
        lock (_gate)
        {
            var client = _client;
            return new McpSessionState
            {
                ProtocolVersion = client?.ProtocolVersion,
                ClientInfo = client?.ClientInfo,
                ClientCapabilities = client?.Capabilities,
                ServerCapabilities = ServerCapabilities,
                LogLevel = client?.LogLevel,
                Initialized = Volatile.Read(ref _state) == 2,
                Subscriptions = _subscriptions is { Count: > 0 } subscriptions ? [.. subscriptions] : [],
            };
        }
    }

    /// <summary>
    /// Takes the state another process stored for this session (its log level or subscriptions may have changed there):
    /// later requests here are served with it.
    /// </summary>
    public void ApplyState(McpSessionState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        lock (_gate)
        {
            if (state.ProtocolVersion is { } version)
            {
                Volatile.Write(ref _client, new McpClientContext { ProtocolVersion = version, ClientInfo = state.ClientInfo, Capabilities = state.ClientCapabilities ?? new(), LogLevel = state.LogLevel });
                ServerCapabilities = state.ServerCapabilities ?? Server.BuildCapabilities();
                Volatile.Write(ref _state, state.Initialized ? 2 : Math.Max(1, Volatile.Read(ref _state)));
            }

            _subscriptions = state.Subscriptions.Count > 0 ? new HashSet<string>(state.Subscriptions, StringComparer.Ordinal) : null;
        }
    }

    /// <summary>Sends a log message not tied to a request, if the session's log level lets it through.</summary>
    public ValueTask LogAsync(LoggingLevel level, string message, string? logger = null, CancellationToken cancellationToken = default) =>
        Client is { } client
            ? LogAsync(client, level, JsonSerializer.SerializeToElement(message, McpJsonContext.Default.String), logger, route: null, cancellationToken)
            : ValueTask.CompletedTask;

    /// <summary>Pings the client (PING-RESPOND): completes when it answers.</summary>
    public async Task PingAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        await Connection.SendRequestAsync(McpMethods.Ping, JsonPayload.None, route: null, timeout, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Ends the session gracefully (the process is stopping): requests already running get up to
    /// <paramref name="grace"/> to answer; what comes meanwhile, and what still runs after it, is answered with an error
    /// saying the server is shutting down, so clients fail at once instead of waiting. Then <see cref="DisposeAsync"/>.
    /// </summary>
    public async ValueTask ShutdownAsync(TimeSpan grace)
    {
        await Connection.ShutdownAsync(grace).ConfigureAwait(false);
        await DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Ends the session: running handlers are cancelled and pending server-to-client requests fail.</summary>
    public async ValueTask DisposeAsync()
    {
        Server.Detach(this);
        await Connection.DisposeAsync().ConfigureAwait(false);
        if (!IsStateless && ProtocolVersion is { } version)
        {
            // mcp.server.session.duration: a session this process served (in a cluster, each node records its part).
            McpTelemetry.RecordSession(_telemetry.Metrics.ServerSessionDuration, _started, _telemetry, version);
        }
    }

    internal bool IsSubscribed(string uri)
    {
        lock (_gate)
        {
            // RES-SUBSCRIBE: an update may name a sub-resource of the subscribed URI.
            return _subscriptions is not null && _subscriptions.Any(subscribed => ResourceUris.Covers(subscribed, uri));
        }
    }

    internal void Subscribe(string uri)
    {
        lock (_gate)
        {
            (_subscriptions ??= new HashSet<string>(StringComparer.Ordinal)).Add(uri);
        }
    }

    internal void Unsubscribe(string uri)
    {
        lock (_gate)
        {
            _subscriptions?.Remove(uri);
        }
    }

    internal void OnInitialize(InitializeRequestParams parameters, string version, ServerCapabilities capabilities)
    {
        Volatile.Write(ref _client, new McpClientContext { ProtocolVersion = version, ClientInfo = parameters.ClientInfo, Capabilities = parameters.Capabilities ?? new() });
        ServerCapabilities = capabilities;
        Interlocked.CompareExchange(ref _state, 1, 0);
    }

    /// <summary><c>logging/setLevel</c>: later requests of this session see the new level.</summary>
    internal void SetLogLevel(LoggingLevel level)
    {
        lock (_gate)
        {
            if (_client is { } client)
            {
                Volatile.Write(ref _client, client with { LogLevel = level });
            }
        }
    }

    /// <summary>
    /// The client context a request is served with: what its transport attached (a stateless POST, a 2026-07-28
    /// request), else the session's negotiated one as it stands now.
    /// </summary>
    internal McpClientContext ClientFor(JsonRpcRequest request) =>
        request.Client ?? Client ?? McpClientContext.ForStatelessRequest(null);

    internal void OnRootsListChanged() => RootsListChanged?.Invoke(this, EventArgs.Empty);

    /// <summary>Hands the changed state to whoever keeps it (<see cref="McpSessionOptions.StateChanged"/>), before the client hears back.</summary>
    internal ValueTask PersistStateAsync(CancellationToken cancellationToken) =>
        _stateChanged is { } changed && !IsStateless ? changed(CaptureState(), cancellationToken) : ValueTask.CompletedTask;

    internal void OnInitialized() => Interlocked.CompareExchange(ref _state, 2, 1);

    internal ValueTask LogAsync(McpClientContext client, LoggingLevel level, JsonElement data, string? logger, MessageRoute? route, CancellationToken cancellationToken)
    {
        if (!client.ShouldLog(level))
        {
            return ValueTask.CompletedTask;
        }

        var parameters = new LoggingMessageNotificationParams { Level = level, Data = data, Logger = logger };
        return Connection.SendNotificationAsync(McpMethods.NotificationsMessage, JsonPayload.FromValue(parameters, McpJsonContext.Default.LoggingMessageNotificationParams), route, cancellationToken);
    }

    internal ValueTask SendNotificationAsync(string method, JsonPayload parameters, MessageRoute? route = null, CancellationToken cancellationToken = default) =>
        Connection.SendNotificationAsync(method, parameters, route, cancellationToken);

    internal async ValueTask TrySendNotificationAsync(string method, JsonPayload parameters, MessageRoute? route)
    {
        try
        {
            await Connection.SendNotificationAsync(method, parameters, route, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            LogNotificationDropped(Server.Logger, method, ex.Message);
        }
    }

    /// <summary>A change announced to every client: to the transport's own delivery when it has one, else sent as usual.</summary>
    internal async ValueTask TryAnnounceAsync(McpAnnouncement announcement, JsonPayload parameters)
    {
        if (_announce is null)
        {
            await TrySendNotificationAsync(announcement.Method, parameters, route: null).ConfigureAwait(false);
            return;
        }

        try
        {
            await _announce(announcement, new JsonRpcNotification(announcement.Method, parameters)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogNotificationDropped(Server.Logger, announcement.Method, ex.Message);
        }
    }

    internal ValueTask<CreateMessageResult> SampleAsync(McpClientContext client, CreateMessageRequestParams parameters, MessageRoute? route, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var sampling = client.Capabilities.Sampling ?? throw new InvalidOperationException("The client did not declare the sampling capability.");
        if ((parameters.Tools is not null || parameters.ToolChoice is not null) && sampling.Tools is null)
        {
            // SAMP-TOOLS-GATE
            throw new InvalidOperationException("The client did not declare sampling.tools; tools cannot be sent in a sampling request.");
        }

        return SendRequestAsync(McpMethods.SamplingCreateMessage, JsonPayload.FromValue(parameters, McpJsonContext.Default.CreateMessageRequestParams), McpJsonContext.Default.CreateMessageResult, route, timeout, cancellationToken);
    }

    internal ValueTask<ElicitResult> ElicitAsync(McpClientContext client, ElicitRequestParams parameters, MessageRoute? route, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var elicitation = client.Capabilities.Elicitation ?? throw new InvalidOperationException("The client did not declare the elicitation capability.");
        if (parameters.IsUrlMode ? !elicitation.SupportsUrl : !elicitation.SupportsForm)
        {
            // ELIC-MODE-GATE
            throw new InvalidOperationException($"The client did not declare elicitation mode '{parameters.Mode ?? "form"}'.");
        }

        return SendRequestAsync(McpMethods.ElicitationCreate, JsonPayload.FromValue(parameters, McpJsonContext.Default.ElicitRequestParams), McpJsonContext.Default.ElicitResult, route, timeout, cancellationToken);
    }

    internal ValueTask<ListRootsResult> ListRootsAsync(McpClientContext client, MessageRoute? route, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        _ = client.Capabilities.Roots ?? throw new InvalidOperationException("The client did not declare the roots capability.");
        return SendRequestAsync(McpMethods.RootsList, JsonPayload.None, McpJsonContext.Default.ListRootsResult, route, timeout, cancellationToken);
    }

    private async ValueTask<TResult> SendRequestAsync<TResult>(string method, JsonPayload parameters, System.Text.Json.Serialization.Metadata.JsonTypeInfo<TResult> resultType, MessageRoute? route, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        if (!IsInitialized)
        {
            // LIFE-SERVER-EARLY: no server requests before notifications/initialized.
            throw new InvalidOperationException($"Cannot send '{method}' before the client has sent notifications/initialized.");
        }

        JsonPayload payload;
        try
        {
            payload = await Connection.SendRequestAsync(method, parameters, route, timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (McpProtocolException ex)
        {
            throw new McpPeerException(method, ex.ErrorCode, ex.Message, ex);
        }

        try
        {
            return payload.Deserialize(resultType) ?? throw new McpPeerException(method, McpErrorCodes.InvalidParams, "empty result");
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw new McpPeerException(method, McpErrorCodes.InvalidParams, "the result does not match the schema", ex);
        }
    }

    [LoggerMessage(20, Microsoft.Extensions.Logging.LogLevel.Debug, "Dropped notification '{Method}': {Reason}")]
    private static partial void LogNotificationDropped(ILogger logger, string method, string reason);
}

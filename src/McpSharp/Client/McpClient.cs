using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using McpSharp.Diagnostics;
using McpSharp.JsonRpc;
using McpSharp.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpSharp.Client;

/// <summary>
/// An MCP client over any transport (stdio, Streamable HTTP, in-memory), in either era. By default it probes with
/// <c>server/discover</c> and speaks revision 2026-07-28 when the server does (per-request <c>_meta</c>, input rounds
/// answered with the same handlers, change notifications through <c>subscriptions/listen</c>); otherwise it runs
/// <c>initialize</c> and <c>notifications/initialized</c> and keeps a session. It offers a typed method for every server
/// feature, answers the server's requests with the handlers in <see cref="McpClientOptions"/>, and raises events for
/// the server's notifications. Over HTTP, when the server forgot the session (404), it starts a new one, renews
/// subscriptions and the log level, retries the request once and raises <see cref="SessionReestablished"/>: once per
/// lost session, never in a loop.
/// </summary>
public sealed partial class McpClient : IAsyncDisposable
{
    private readonly IMcpTransport _transport;
    private readonly McpClientOptions _options;
    private readonly McpClientHandler _handler;
    private readonly JsonRpcConnection _connection;
    private readonly CancellationTokenSource _stop = new();
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HashSet<string> _subscriptions = new(StringComparer.Ordinal);
    private readonly ToolHeaderCatalog _tools;
    private readonly ResultCache _cache;
    private LoggingLevel? _logLevel;
    private Task _run = Task.CompletedTask;
    private SessionRecovery? _recovery;
    private PerRequestSender? _perRequest;
    private McpClientTasks? _tasks;
    private ChangeFeed? _changes;
    private ListenStream? _listens;
    private InitializeResult _initialize = null!;
    private string _handshakeVersion = ProtocolVersions.LatestHandshake;
    private long _nextProgressToken;
    private int _disposed;
    private readonly TelemetryContext _telemetry;
    private readonly long _started;

    private McpClient(IMcpTransport transport, McpClientOptions options, ILoggerFactory? loggerFactory, TimeProvider? timeProvider)
    {
        _transport = transport;
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("McpSharp.Client");
        _handler = new McpClientHandler(this, options);
        _connection = new JsonRpcConnection(transport, _handler, options.JsonRpc, timeProvider, _logger);
        _telemetry = _connection.Telemetry = new TelemetryContext(
            _time,
            McpMetrics.From(options.MeterFactory),
            transport.NetworkTransport,
            () => _perRequest is null && transport is ISessionTransport session ? session.SessionId : null,
            _ => _initialize?.ProtocolVersion);
        _started = _time.GetTimestamp();
        _tools = new ToolHeaderCatalog(_logger);
        _cache = new ResultCache(_time);
    }

    /// <summary>Raised for each <c>notifications/message</c>.</summary>
    public event EventHandler<LoggingMessageNotificationParams>? LogMessageReceived;

    /// <summary>Raised for each <c>notifications/resources/updated</c>.</summary>
    public event EventHandler<ResourceUpdatedNotificationParams>? ResourceUpdated;

    /// <summary>Raised for <c>notifications/{tools,resources,prompts}/list_changed</c>; the argument is the method.</summary>
    public event EventHandler<string>? ListChanged;

    /// <summary>Raised for <c>notifications/elicitation/complete</c>.</summary>
    public event EventHandler<ElicitationCompleteNotificationParams>? ElicitationCompleted;

    /// <summary>Raised after the client started a new session in place of one the server no longer knew (HTTP 404).</summary>
    public event EventHandler<SessionReestablishedEventArgs>? SessionReestablished;

    /// <summary>The protocol version spoken: negotiated in <c>initialize</c>, or the per-request version chosen.</summary>
    public string ProtocolVersion => _initialize.ProtocolVersion;

    /// <summary>True when the client speaks a per-request revision (2026-07-28): no session, <c>_meta</c> on every request.</summary>
    public bool IsPerRequest => _perRequest is not null;

    /// <summary>Tasks by their handles: start a tool call as a task, come back to one, poll, answer, cancel.</summary>
    public McpClientTasks Tasks => _tasks ??= new McpClientTasks(this);

    internal PerRequestSender? PerRequest => _perRequest;

    internal McpClientOptions Options => _options;

    internal TimeProvider Time => _time;

    /// <summary>The server's name and version.</summary>
    public Implementation ServerInfo => _initialize.ServerInfo;

    /// <summary>What the server offers.</summary>
    public ServerCapabilities ServerCapabilities => _initialize.Capabilities;

    /// <summary>The server's instructions for the model, if any.</summary>
    public string? ServerInstructions => _initialize.Instructions;

    /// <summary>The capabilities this client declared (from its handlers).</summary>
    public ClientCapabilities Capabilities { get; private set; } = new();

    /// <summary>
    /// Connects: starts reading and chooses the era (<see cref="McpClientOptions.ProtocolMode"/>): <c>server/discover</c>
    /// for revision 2026-07-28, or <c>initialize</c> and then <c>notifications/initialized</c>. A server that answers
    /// with a protocol version this client does not know is disconnected (VER-CLIENT-DISCONNECT).
    /// </summary>
    public static async Task<McpClient> ConnectAsync(IMcpTransport transport, McpClientOptions? options = null, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transport);
        var client = new McpClient(transport, options ?? new McpClientOptions(), loggerFactory, timeProvider);
        try
        {
            await client.InitializeAsync(cancellationToken).ConfigureAwait(false);
            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Checks that the server answers: <c>ping</c>, or <c>server/discover</c> in revision 2026-07-28 (which has no ping).</summary>
    public async Task PingAsync(CancellationToken cancellationToken = default)
    {
        if (_perRequest is { } modern)
        {
            await modern.SendAsync(McpMethods.ServerDiscover, new DiscoverRequestParams(), McpJsonContext.Default.DiscoverRequestParams, null, cancellationToken).ConfigureAwait(false);
            return;
        }

        await SendRequestAsync(McpMethods.Ping, JsonPayload.None, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Changes the roots offered to the server: in a session it is told (<c>notifications/roots/list_changed</c>,
    /// ROOTS-LISTCHANGED); in revision 2026-07-28 the next input round that asks for roots gets the new ones.
    /// </summary>
    public async Task SetRootsAsync(IList<Root> roots, CancellationToken cancellationToken = default)
    {
        _options.Roots = roots ?? throw new ArgumentNullException(nameof(roots));
        if (_perRequest is not null)
        {
            return;
        }

        await WithSessionAsync<bool>(
            async ct =>
            {
                await _connection.SendNotificationAsync(McpMethods.NotificationsRootsListChanged, JsonPayload.None, null, ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ends the session: closes the transport (over HTTP, the session is deleted).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _changes?.Stop();
        if (_perRequest is null && _initialize?.ProtocolVersion is { } version)
        {
            // mcp.client.session.duration: a 2025 session (a 2026-07-28 client has none).
            McpTelemetry.RecordSession(_telemetry.Metrics.ClientSessionDuration, _started, _telemetry, version);
        }

        try
        {
            await _transport.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            // Whatever the transport did, the connection closes: pending calls fail instead of hanging.
            await _connection.DisposeAsync().ConfigureAwait(false);
            await _stop.CancelAsync().ConfigureAwait(false);
        }

        try
        {
            await _run.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    internal void OnLogMessage(LoggingMessageNotificationParams message) => LogMessageReceived?.Invoke(this, message);

    internal void OnResourceUpdated(ResourceUpdatedNotificationParams update)
    {
        _cache.Invalidate(McpMethods.NotificationsResourcesUpdated, update.Uri);
        ResourceUpdated?.Invoke(this, update);
    }

    internal void OnListChanged(string method)
    {
        _cache.Invalidate(method);
        ListChanged?.Invoke(this, method);
    }

    internal void OnElicitationComplete(ElicitationCompleteNotificationParams complete) => ElicitationCompleted?.Invoke(this, complete);

    private ClientCapabilities BuildCapabilities()
    {
        var extra = _options.Capabilities;
        return new ClientCapabilities
        {
            Experimental = extra?.Experimental,
            Tasks = extra?.Tasks,
            AdditionalProperties = extra?.AdditionalProperties,
            Sampling = _options.SamplingHandler is null ? null : new SamplingCapability { Tools = _options.SamplingSupportsTools ? new JsonObject() : null },
            Elicitation = _options.ElicitationHandler is null ? null : new ElicitationCapability
            {
                Form = _options.ElicitationSupportsForm ? new JsonObject() : null,
                Url = _options.ElicitationSupportsUrl ? new JsonObject() : null,
            },
            Roots = _options.Roots is null ? null : new RootsCapability { ListChanged = true },
        };
    }

    // What a 2026-07-28 request declares: the same, and the tasks extension when the client follows tasks
    // (McpClientOptions.UseTasks). A 2025 initialize never carries it.
    private ClientCapabilities PerRequestCapabilities()
    {
        if (!_options.UseTasks)
        {
            return Capabilities;
        }

        return new ClientCapabilities
        {
            Experimental = Capabilities.Experimental,
            Tasks = Capabilities.Tasks,
            AdditionalProperties = Capabilities.AdditionalProperties,
            Sampling = Capabilities.Sampling,
            Elicitation = Capabilities.Elicitation,
            Roots = Capabilities.Roots,
            Extensions = McpTasks.WithTasks(_options.Capabilities?.Extensions),
        };
    }

    // HTTP-SESS-REINIT, run by SessionRecovery once per lost session: a new handshake; the new session knows nothing,
    // so subscriptions and the log level are renewed before anyone goes on.
    private async Task StartNewSessionAsync(string lostSessionId, CancellationToken cancellationToken)
    {
        var result = await HandshakeAsync(_handshakeVersion, cancellationToken).ConfigureAwait(false);
        _initialize = result;
        string? sessionId = (_transport as ISessionTransport)?.SessionId;
        LogSessionReestablished(_logger, lostSessionId, sessionId);
        await RenewSessionStateAsync(cancellationToken).ConfigureAwait(false);
        SessionReestablished?.Invoke(this, new SessionReestablishedEventArgs(lostSessionId, sessionId, result));
    }

    // Sent straight to the new session: a 404 here is not another loss to recover from, only a renewal that failed.
    private async Task RenewSessionStateAsync(CancellationToken cancellationToken)
    {
        try
        {
            string[] uris;
            lock (_subscriptions)
            {
                uris = [.. _subscriptions];
            }

            foreach (string uri in uris)
            {
                await _connection.SendRequestAsync(McpMethods.ResourcesSubscribe, JsonPayload.FromValue(new ResourceRequestParams { Uri = uri }, McpJsonContext.Default.ResourceRequestParams), null, null, cancellationToken).ConfigureAwait(false);
            }

            if (_logLevel is { } level)
            {
                await _connection.SendRequestAsync(McpMethods.LoggingSetLevel, JsonPayload.FromValue(new SetLevelRequestParams { Level = level }, McpJsonContext.Default.SetLevelRequestParams), null, null, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is McpProtocolException or IOException or TimeoutException or OperationCanceledException or ObjectDisposedException)
        {
            LogRenewFailed(_logger, ex.Message);
        }
    }

    // The standalone GET stream was answered 404: either the server has no GET route, or the session is gone. A ping
    // tells which, and in the second case recovers the session like any other request would.
    private void OnStandaloneStreamNotFound(string sessionId) => _ = VerifySessionAsync(sessionId);

    private async Task VerifySessionAsync(string sessionId)
    {
        if (!string.Equals((_transport as ISessionTransport)?.SessionId, sessionId, StringComparison.Ordinal))
        {
            // Already replaced by a request that met the 404 first.
            return;
        }

        try
        {
            await PingAsync(_stop.Token).ConfigureAwait(false);
            LogNoStandaloneStream(_logger, sessionId);
        }
        catch (Exception ex) when (ex is McpProtocolException or IOException or TimeoutException or OperationCanceledException or ObjectDisposedException)
        {
            LogVerifyFailed(_logger, sessionId, ex.Message);
        }
    }

    // Runs a send; when the server forgot the session, recovers it (or joins the recovery under way) and sends once more.
    private async Task<T> WithSessionAsync<T>(Func<CancellationToken, ValueTask<T>> send, CancellationToken cancellationToken)
    {
        string? sessionUsed = (_transport as ISessionTransport)?.SessionId;
        try
        {
            var result = await send(cancellationToken).ConfigureAwait(false);
            _recovery?.MarkProven(sessionUsed);
            return result;
        }
        catch (McpProtocolException)
        {
            // The server answered: the session works.
            _recovery?.MarkProven(sessionUsed);
            throw;
        }
        catch (SessionExpiredException lost) when (_recovery is not null)
        {
            await _recovery.RecoverAsync(lost, cancellationToken).ConfigureAwait(false);
        }

        sessionUsed = ((ISessionTransport)_transport).SessionId;
        try
        {
            var result = await send(cancellationToken).ConfigureAwait(false);
            _recovery.MarkProven(sessionUsed);
            return result;
        }
        catch (SessionExpiredException again)
        {
            throw again.Refuse("The server answered 404 again right after the session was re-established.");
        }
    }

    private async Task<JsonPayload> SendRequestAsync(string method, JsonPayload payload, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return await WithSessionAsync(ct => _connection.SendRequestAsync(method, payload, null, timeout, ct), cancellationToken).ConfigureAwait(false);
    }

    internal static TResult ReadResult<TResult>(string method, JsonPayload result, JsonTypeInfo<TResult> resultType)
        where TResult : class
    {
        try
        {
            return result.Deserialize(resultType) ?? throw new McpProtocolException(McpErrorCodes.InternalError, $"The server answered '{method}' with an empty result.");
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException)
        {
            throw new McpProtocolException(McpErrorCodes.InternalError, $"The server's answer to '{method}' does not match the schema: {ex.Message}", ex);
        }
    }

    // One request in the era chosen. With a cache key (lists: the cursor; resources/read: the URI), a 2026-07-28 result
    // is served from and kept in the cache as its ttlMs allows.
    private async Task<TResult> RequestAsync<TParams, TResult>(string method, TParams parameters, JsonTypeInfo<TParams> paramsType, JsonTypeInfo<TResult> resultType, TimeSpan? timeout, CancellationToken cancellationToken, string? cacheKey = null)
        where TParams : RequestParams
        where TResult : class
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (_perRequest is not { } modern)
        {
            return ReadResult(method, await SendRequestAsync(method, JsonPayload.FromValue(parameters, paramsType), timeout, cancellationToken).ConfigureAwait(false), resultType);
        }

        if (cacheKey is not null && _cache.TryGet(method, cacheKey, out var cached))
        {
            return ReadResult(method, cached, resultType);
        }

        var result = await modern.SendAsync(method, parameters, paramsType, timeout, cancellationToken).ConfigureAwait(false);
        if (cacheKey is not null && parameters is not InputResponseRequestParams { RequestState: not null } and not InputResponseRequestParams { InputResponses: not null })
        {
            // Never a result that took input rounds (M26-CACHE-CLIENT).
            _cache.Store(method, cacheKey, result);
        }

        return ReadResult(method, result, resultType);
    }

    // Adds a progress token to the request's _meta and routes the server's notifications/progress to the reporter.
    private ProgressToken? RegisterProgress(RequestParams parameters, IProgress<ProgressNotificationValue>? progress)
    {
        if (progress is null)
        {
            return null;
        }

        var token = new ProgressToken(Interlocked.Increment(ref _nextProgressToken));
        (parameters.Meta ??= [])["progressToken"] = token.Value.AsNumber;
        _handler.Progress[token] = progress;
        return token;
    }

    private void UnregisterProgress(ProgressToken? token)
    {
        if (token is { } t)
        {
            _handler.Progress.TryRemove(t, out _);
        }
    }

    [LoggerMessage(200, LogLevel.Information, "The server forgot session {PreviousSessionId}; re-established as {SessionId}.")]
    private static partial void LogSessionReestablished(ILogger logger, string? previousSessionId, string? sessionId);

    [LoggerMessage(201, LogLevel.Warning, "Could not renew subscriptions or the log level on the new session: {Reason}")]
    private static partial void LogRenewFailed(ILogger logger, string reason);

    [LoggerMessage(202, LogLevel.Debug, "Session {SessionId} works without a standalone GET stream: the server answered the GET 404 and a ping 200.")]
    private static partial void LogNoStandaloneStream(ILogger logger, string sessionId);

    [LoggerMessage(203, LogLevel.Debug, "Checking session {SessionId} after its GET stream was answered 404 failed: {Reason}")]
    private static partial void LogVerifyFailed(ILogger logger, string sessionId, string reason);
}

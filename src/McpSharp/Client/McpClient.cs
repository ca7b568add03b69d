using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using McpSharp.JsonRpc;
using McpSharp.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpSharp.Client;

/// <summary>
/// An MCP client over any transport (stdio, Streamable HTTP, in-memory): runs <c>initialize</c> and
/// <c>notifications/initialized</c>, offers a typed method for every server feature, answers the server's requests with
/// the handlers in <see cref="McpClientOptions"/>, and raises events for the server's notifications. Over HTTP the
/// transport re-establishes a session the server forgot (404) by itself; <see cref="SessionReestablished"/> says so.
/// </summary>
public sealed partial class McpClient : IAsyncDisposable
{
    private readonly IMcpTransport _transport;
    private readonly McpClientOptions _options;
    private readonly McpClientHandler _handler;
    private readonly JsonRpcConnection _connection;
    private readonly CancellationTokenSource _stop = new();
    private readonly ILogger _logger;
    private readonly HashSet<string> _subscriptions = new(StringComparer.Ordinal);
    private LoggingLevel? _logLevel;
    private Task _run = Task.CompletedTask;
    private InitializeResult _initialize = null!;
    private long _nextProgressToken;
    private int _disposed;

    private McpClient(IMcpTransport transport, McpClientOptions options, ILoggerFactory? loggerFactory, TimeProvider? timeProvider)
    {
        _transport = transport;
        _options = options;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("McpSharp.Client");
        _handler = new McpClientHandler(this, options);
        _connection = new JsonRpcConnection(transport, _handler, options.JsonRpc, timeProvider, _logger);
    }

    /// <summary>Raised for each <c>notifications/message</c>.</summary>
    public event EventHandler<LoggingMessageNotificationParams>? LogMessageReceived;

    /// <summary>Raised for each <c>notifications/resources/updated</c>.</summary>
    public event EventHandler<ResourceUpdatedNotificationParams>? ResourceUpdated;

    /// <summary>Raised for <c>notifications/{tools,resources,prompts}/list_changed</c>; the argument is the method.</summary>
    public event EventHandler<string>? ListChanged;

    /// <summary>Raised for <c>notifications/elicitation/complete</c>.</summary>
    public event EventHandler<ElicitationCompleteNotificationParams>? ElicitationCompleted;

    /// <summary>Raised after the transport re-established a session the server no longer knew.</summary>
    public event EventHandler<SessionReestablishedEventArgs>? SessionReestablished;

    /// <summary>The negotiated protocol version.</summary>
    public string ProtocolVersion => _initialize.ProtocolVersion;

    /// <summary>The server's name and version.</summary>
    public Implementation ServerInfo => _initialize.ServerInfo;

    /// <summary>What the server offers.</summary>
    public ServerCapabilities ServerCapabilities => _initialize.Capabilities;

    /// <summary>The server's instructions for the model, if any.</summary>
    public string? ServerInstructions => _initialize.Instructions;

    /// <summary>The capabilities this client declared (from its handlers).</summary>
    public ClientCapabilities Capabilities { get; private set; } = new();

    /// <summary>
    /// Connects: starts reading, sends <c>initialize</c> and then <c>notifications/initialized</c>. A server that answers
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

    /// <summary>Sends <c>ping</c>; completes when the server answers.</summary>
    public async Task PingAsync(CancellationToken cancellationToken = default) =>
        await _connection.SendRequestAsync(McpMethods.Ping, JsonPayload.None, null, null, cancellationToken).ConfigureAwait(false);

    /// <summary>Tells the server the roots changed (sends <c>notifications/roots/list_changed</c>, ROOTS-LISTCHANGED).</summary>
    public async Task SetRootsAsync(IList<Root> roots, CancellationToken cancellationToken = default)
    {
        _options.Roots = roots ?? throw new ArgumentNullException(nameof(roots));
        await _connection.SendNotificationAsync(McpMethods.NotificationsRootsListChanged, JsonPayload.None, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ends the session: closes the transport (over HTTP, the session is deleted).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
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

    internal void OnResourceUpdated(ResourceUpdatedNotificationParams update) => ResourceUpdated?.Invoke(this, update);

    internal void OnListChanged(string method) => ListChanged?.Invoke(this, method);

    internal void OnElicitationComplete(ElicitationCompleteNotificationParams complete) => ElicitationCompleted?.Invoke(this, complete);

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        Capabilities = BuildCapabilities();
        if (_transport is ISessionTransport sessions)
        {
            sessions.SessionReestablished += OnSessionReestablished;
        }

        _run = _connection.RunAsync(_stop.Token);
        var parameters = new InitializeRequestParams { ProtocolVersion = _options.ProtocolVersion, Capabilities = Capabilities, ClientInfo = _options.ClientInfo };
        var result = await RequestAsync(McpMethods.Initialize, parameters, McpJsonContext.Default.InitializeRequestParams, McpJsonContext.Default.InitializeResult, _options.InitializeTimeout, cancellationToken).ConfigureAwait(false);
        if (!ProtocolVersions.IsSupported(result.ProtocolVersion))
        {
            throw new NotSupportedException($"The server answered protocol version '{result.ProtocolVersion}', which this client does not support ({string.Join(", ", ProtocolVersions.Supported)}).");
        }

        _initialize = result;
        await _connection.SendNotificationAsync(McpMethods.NotificationsInitialized, JsonPayload.None, null, cancellationToken).ConfigureAwait(false);
    }

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

    // The transport re-ran initialize; the new session knows nothing: subscriptions and the log level are renewed.
    private void OnSessionReestablished(object? sender, SessionReestablishedEventArgs e)
    {
        _initialize = e.Result;
        LogSessionReestablished(_logger, e.PreviousSessionId, e.SessionId);
        SessionReestablished?.Invoke(this, e);
        _ = RenewSessionStateAsync();
    }

    private async Task RenewSessionStateAsync()
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
                await SendSubscriptionAsync(McpMethods.ResourcesSubscribe, uri, CancellationToken.None).ConfigureAwait(false);
            }

            if (_logLevel is { } level)
            {
                await SetLoggingLevelAsync(level).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is McpProtocolException or IOException or TimeoutException or OperationCanceledException or ObjectDisposedException)
        {
            LogRenewFailed(_logger, ex.Message);
        }
    }

    private async Task<TResult> RequestAsync<TParams, TResult>(string method, TParams? parameters, JsonTypeInfo<TParams> paramsType, JsonTypeInfo<TResult> resultType, TimeSpan? timeout, CancellationToken cancellationToken)
        where TResult : class
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var payload = parameters is null ? JsonPayload.None : JsonPayload.FromValue(parameters, paramsType);
        var result = await _connection.SendRequestAsync(method, payload, null, timeout, cancellationToken).ConfigureAwait(false);
        try
        {
            return result.Deserialize(resultType) ?? throw new McpProtocolException(McpErrorCodes.InternalError, $"The server answered '{method}' with an empty result.");
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException)
        {
            throw new McpProtocolException(McpErrorCodes.InternalError, $"The server's answer to '{method}' does not match the schema: {ex.Message}", ex);
        }
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
}

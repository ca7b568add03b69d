using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using McpSharp.Client;
using McpSharp.JsonRpc;
using McpSharp.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpSharp.Transports.Http;

/// <summary>
/// The client side of Streamable HTTP (2025-11-25). Every message is a POST; answers come as JSON or as an SSE stream.
/// It sends <c>MCP-Session-Id</c> and <c>MCP-Protocol-Version</c> after <c>initialize</c>; resumes a dropped stream by
/// GET with <c>Last-Event-ID</c> after the server's <c>retry</c> (never re-POSTing); and keeps the optional standalone GET
/// stream. When the server answers 404 to a message that carried the session id, the message fails with an exception
/// that says which session was lost: <see cref="McpClient"/> then starts a new session and retries (HTTP-SESS-REINIT).
/// The transport never starts a session by itself. A new session's id is used from its <c>notifications/initialized</c>
/// on, so no request reaches it half-way. Dispose sends DELETE (405 is fine).
/// </summary>
public sealed partial class StreamableHttpClientTransport : IMcpTransport, ISessionTransport
{
    private readonly HttpClientTransportOptions _options;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<JsonRpcMessage> _incoming = Channel.CreateBounded<JsonRpcMessage>(new BoundedChannelOptions(1024) { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private Action<string>? _standaloneNotFound;
    private readonly Lock _standaloneGate = new();
    private volatile string? _sessionId;
    private volatile string? _protocolVersion;
    private PendingSession? _pending;
    private RequestId? _initializeId;
    private Uri? _legacyEndpoint;
    private Task _standalone = Task.CompletedTask;
    private CancellationTokenSource? _standaloneStop;
    private bool _hadSession;
    private int _disposed;

    /// <summary>Creates the transport; nothing is sent until the client sends <c>initialize</c>.</summary>
    public StreamableHttpClientTransport(HttpClientTransportOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _ownsHttp = options.HttpClient is null;
        _http = options.HttpClient ?? new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        _time = options.TimeProvider ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("McpSharp.Client.Http");
    }

    /// <inheritdoc />
    event Action<string>? ISessionTransport.StandaloneStreamNotFound
    {
        add => _standaloneNotFound += value;
        remove => _standaloneNotFound -= value;
    }

    /// <summary>The current session id, if the server assigned one.</summary>
    public string? SessionId => _sessionId;

    /// <summary>The negotiated protocol version, sent as <c>MCP-Protocol-Version</c>.</summary>
    public string? ProtocolVersion => _protocolVersion;

    /// <summary>The standalone GET stream's loop (completes when it stops: 405, give-up, or dispose).</summary>
    internal Task StandaloneCompletion
    {
        get
        {
            lock (_standaloneGate)
            {
                return _standalone;
            }
        }
    }

    /// <summary>True when the server only offered the 2024-11-05 HTTP+SSE transport.</summary>
    public bool IsLegacySse => _legacyEndpoint is not null;

    /// <inheritdoc />
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<JsonRpcMessage?> ReceiveAsync(CancellationToken cancellationToken)
    {
        while (await _incoming.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (_incoming.Reader.TryRead(out var message))
            {
                return message;
            }
        }

        return null;
    }

    /// <inheritdoc />
    public async ValueTask SendAsync(JsonRpcMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        bool isInitialize = message is JsonRpcRequest { Method: McpMethods.Initialize };
        bool isInitialized = message is JsonRpcNotification { Method: McpMethods.NotificationsInitialized };
        if (isInitialize)
        {
            _initializeId = ((JsonRpcRequest)message).Id;
        }

        byte[] body = JsonRpcMessageWriter.ToUtf8Bytes(message);
        if (_legacyEndpoint is { } legacy)
        {
            await PostLegacyAsync(legacy, body, cancellationToken).ConfigureAwait(false);
            return;
        }

        // The session is read once: a 404 is matched to the id this very message carried, even if a new session
        // replaces the shared one meanwhile. initialize goes without one; initialized goes to the session it confirms.
        var pending = isInitialized ? Volatile.Read(ref _pending) : null;
        string? sessionUsed = isInitialize ? null : pending?.SessionId ?? _sessionId;
        string? versionUsed = isInitialize ? null : pending is not null ? pending.ProtocolVersion : _protocolVersion;
        var response = await PostAsync(body, sessionUsed, versionUsed, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound && sessionUsed is not null)
        {
            // HTTP-SESS-404: the server forgot the session and did not process the message. The client decides what next.
            response.Dispose();
            throw new SessionExpiredException(sessionUsed, static reason => new McpHttpException(404, reason));
        }

        if (isInitialize && !_hadSession && _options.EnableLegacySseFallback
            && response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
        {
            // HTTP-BC-CLIENT-PROBE: maybe the server speaks the 2024-11-05 HTTP+SSE transport (only on the first
            // initialize: a server that served Streamable HTTP once does not turn into an HTTP+SSE one).
            response.Dispose();
            await StartLegacyAsync((int)response.StatusCode, cancellationToken).ConfigureAwait(false);
            await PostLegacyAsync(_legacyEndpoint!, body, cancellationToken).ConfigureAwait(false);
            return;
        }

        await HandlePostResponseAsync(response, message, isInitialize, cancellationToken).ConfigureAwait(false);
        if (isInitialized)
        {
            if (pending is not null)
            {
                Volatile.Write(ref _pending, null);
                // The new session is initialized: from now on every message goes to it.
                _protocolVersion = pending.ProtocolVersion;
                _sessionId = pending.SessionId;
            }

            StartStandalone();
        }
    }

    /// <summary>Stops every stream and ends the session with DELETE (a 405 answer is fine).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        StopStandalone();
        try
        {
            if (_sessionId is not null && _legacyEndpoint is null)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                using var request = CreateRequest(HttpMethod.Delete, null);
                await ApplyHooksAsync(request, timeout.Token).ConfigureAwait(false);
                using var response = await _http.SendAsync(request, timeout.Token).ConfigureAwait(false);
                LogDeleted(_logger, (int)response.StatusCode);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Ending the session is a courtesy (the server expires it anyway); disposing must finish regardless.
            LogDeleteFailed(_logger, ex.Message);
        }
        finally
        {
            _incoming.Writer.TryComplete();
            try
            {
                await _standalone.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException or IOException)
            {
            }

            if (_ownsHttp)
            {
                _http.Dispose();
            }
        }
    }

    // POSTs with the session id and protocol version given (null: none), not the shared ones read again: the caller
    // decides which session a message goes to (the current one, none for initialize, or a new one not yet published).
    private async Task<HttpResponseMessage> PostAsync(byte[] body, string? sessionId, string? version, CancellationToken cancellationToken)
    {
        using var request = CreateRequest(HttpMethod.Post, "application/json, text/event-stream", withSession: false);
        if (sessionId is not null)
        {
            request.Headers.TryAddWithoutValidation(McpHttpHeaders.SessionId, sessionId);
        }

        if (version is not null)
        {
            request.Headers.TryAddWithoutValidation(McpHttpHeaders.ProtocolVersion, version);
        }

        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        await ApplyHooksAsync(request, cancellationToken).ConfigureAwait(false);
        return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
    }

    private HttpRequestMessage CreateRequest(HttpMethod method, string? accept, Uri? uri = null, bool withSession = true)
    {
        var request = new HttpRequestMessage(method, uri ?? _options.Endpoint);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        // HTTP-SESS-CLIENT-ECHO and HTTP-PV-SEND: on everything after initialize (a re-initialize goes without).
        if (withSession && _sessionId is { } session)
        {
            request.Headers.TryAddWithoutValidation(McpHttpHeaders.SessionId, session);
        }

        if (withSession && _protocolVersion is { } version)
        {
            request.Headers.TryAddWithoutValidation(McpHttpHeaders.ProtocolVersion, version);
        }

        foreach (var (name, value) in _options.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    private ValueTask ApplyHooksAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        _options.OnRequest is { } hook ? hook(request, cancellationToken) : ValueTask.CompletedTask;

    private async Task HandlePostResponseAsync(HttpResponseMessage response, JsonRpcMessage message, bool isInitialize, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                string detail = await ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
                throw new McpHttpException((int)response.StatusCode, $"POST {Describe(message)} failed with {(int)response.StatusCode}: {detail}");
            }
        }

        if (isInitialize)
        {
            string? newSession = response.Headers.TryGetValues(McpHttpHeaders.SessionId, out var ids) ? ids.FirstOrDefault() : null;
            if (_sessionId is null)
            {
                // The first session: nothing else is in flight, it is used at once.
                _sessionId = newSession;
            }
            else
            {
                // A session that replaces a lost one is used once initialized; until then requests keep the old id (and
                // meet its 404, and wait for this one).
                Volatile.Write(ref _pending, new PendingSession(newSession, null));
            }

            _hadSession |= newSession is not null;
        }

        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.NoContent || mediaType is null)
        {
            response.Dispose();
            return;
        }

        if (mediaType.Equals("text/event-stream", StringComparison.OrdinalIgnoreCase))
        {
            // The stream is read in the background; the response arrives through ReceiveAsync.
            _ = ReadPostStreamAsync(response, (message as JsonRpcRequest)?.Id);
            return;
        }

        using (response)
        {
            if (!mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
            {
                throw new McpHttpException((int)response.StatusCode, $"POST {Describe(message)} was answered with unexpected content type '{mediaType}'.");
            }

            byte[] bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            await DeliverJsonAsync(bytes, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task DeliverJsonAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        if (JsonRpcMessageParser.IsBatch(bytes))
        {
            var elements = new List<ReadOnlyMemory<byte>>();
            if (JsonRpcMessageParser.TrySplitBatch(bytes, elements, out _))
            {
                foreach (var element in elements)
                {
                    if (JsonRpcMessageParser.TryParse(element, out var item, out _, out _))
                    {
                        await DeliverAsync(item, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
        }
        else if (JsonRpcMessageParser.TryParse(bytes, out var single, out _, out _))
        {
            await DeliverAsync(single, cancellationToken).ConfigureAwait(false);
        }
    }

    private ValueTask DeliverAsync(JsonRpcMessage message, CancellationToken cancellationToken)
    {
        if (message is JsonRpcResponse response && _initializeId is { } initializeId && response.Id == initializeId)
        {
            // The negotiated version goes into MCP-Protocol-Version from now on (for a new session, once initialized).
            string? version = response.Result.Deserialize(McpJsonContext.Default.InitializeResult)?.ProtocolVersion;
            if (Volatile.Read(ref _pending) is { } pending)
            {
                Volatile.Write(ref _pending, pending with { ProtocolVersion = version });
            }
            else
            {
                _protocolVersion = version;
            }
        }

        return _incoming.Writer.WriteAsync(message, cancellationToken);
    }

    private async ValueTask DeliverErrorAsync(RequestId id, string message)
    {
        try
        {
            await _incoming.Writer.WriteAsync(new JsonRpcErrorResponse(id, new JsonRpcError(McpErrorCodes.ServerError, message))).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
        }
    }

    private static async Task<string> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            string text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return text.Length > 500 ? text[..500] : text;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            return response.ReasonPhrase ?? string.Empty;
        }
    }

    private static string Describe(JsonRpcMessage message) => message switch
    {
        JsonRpcRequest request => request.Method,
        JsonRpcNotification notification => notification.Method,
        _ => "response",
    };

    [LoggerMessage(401, LogLevel.Debug, "DELETE of the session answered {Status}.")]
    private static partial void LogDeleted(ILogger logger, int status);

    [LoggerMessage(402, LogLevel.Debug, "DELETE of the session failed: {Reason}")]
    private static partial void LogDeleteFailed(ILogger logger, string reason);

    // A session that replaces a lost one, between its initialize and its notifications/initialized.
    private sealed record PendingSession(string? SessionId, string? ProtocolVersion);
}

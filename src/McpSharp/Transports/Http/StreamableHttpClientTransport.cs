using System.Collections.Concurrent;
using System.Net;
using System.Runtime.CompilerServices;
using McpSharp.Client;
using McpSharp.JsonRpc;
using McpSharp.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpSharp.Transports.Http;

/// <summary>
/// The client side of Streamable HTTP, in both eras. <see cref="McpClient"/> chooses the era; the transport frames it.
/// <para>
/// 2025 revisions (sessions): every message is a POST; answers come as JSON or as an SSE stream. It sends
/// <c>MCP-Session-Id</c> and <c>MCP-Protocol-Version</c> after <c>initialize</c>; resumes a dropped stream by GET with
/// <c>Last-Event-ID</c> after the server's <c>retry</c> (never re-POSTing); and keeps the optional standalone GET stream.
/// When the server answers 404 to a message that carried the session id, the message fails with an exception that says
/// which session was lost: the client then starts a new session and retries (HTTP-SESS-REINIT). A new session's id is
/// used from its <c>notifications/initialized</c> on, so no request reaches it half-way. Dispose sends DELETE (405 is fine).
/// </para>
/// <para>
/// Revision 2026-07-28 (per request): each request is a POST of its own with the standard headers, no session, no GET
/// stream and no resumption; a JSON-RPC error in a 4xx answer is the request's answer; cancelling aborts the POST
/// (M26-CANCEL-HTTP), and client notifications are not sent (the revision defines none over HTTP).
/// </para>
/// </summary>
public sealed class StreamableHttpClientTransport : IMcpTransport, ISessionTransport, IPerRequestTransport, IMessageLossTransport
{
    private readonly HttpExchange _exchange;
    private readonly SseResponseReader _reader;
    private readonly StandaloneStream _standalone;
    private readonly ConcurrentDictionary<RequestId, CancellationTokenSource> _inFlight = new();
    private Action<string>? _standaloneNotFound;
    private volatile string? _sessionId;
    private volatile string? _protocolVersion;
    private volatile PerRequestMode? _perRequest;
    private PendingSession? _pending;
    private RequestId? _initializeId;
    private LegacySseFallback? _legacy;
    private bool _hadSession;
    private int _disposed;

    /// <summary>Creates the transport; nothing is sent until the client sends its first message.</summary>
    public StreamableHttpClientTransport(HttpClientTransportOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _exchange = new HttpExchange(options, (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("McpSharp.Client.Http")) { Observe = Observe };
        _reader = new SseResponseReader(_exchange);
        _standalone = new StandaloneStream(_exchange, _reader, GetAsync, id => _standaloneNotFound?.Invoke(id));
    }

    /// <inheritdoc />
    event Action<string>? ISessionTransport.StandaloneStreamNotFound
    {
        add => _standaloneNotFound += value;
        remove => _standaloneNotFound -= value;
    }

    /// <inheritdoc />
    Action<JsonRpcMessage, Exception>? IMessageLossTransport.MessageLost
    {
        get => _exchange.MessageLost;
        set => _exchange.MessageLost = value;
    }

    /// <summary>The current session id, if the server assigned one (never in revision 2026-07-28).</summary>
    public string? SessionId => _sessionId;

    /// <summary>The protocol version sent as <c>MCP-Protocol-Version</c>: negotiated (2025 revisions) or chosen (2026-07-28).</summary>
    public string? ProtocolVersion => _perRequest?.Version ?? _protocolVersion;

    /// <summary>True when the server only offered the 2024-11-05 HTTP+SSE transport.</summary>
    public bool IsLegacySse => _legacy is not null;

    /// <summary>The standalone GET stream's loop (completes when it stops: 405, give-up, or dispose).</summary>
    internal Task StandaloneCompletion => _standalone.Completion;

    string IPerRequestTransport.EndpointKey => _exchange.Options.Endpoint.AbsoluteUri;

    long IPerRequestTransport.Authorizations => _exchange.Authorizations;

    void IPerRequestTransport.UsePerRequest(string? protocolVersion, ToolHeaderCatalog tools) =>
        _perRequest = protocolVersion is null ? null : new PerRequestMode(protocolVersion, tools);

    /// <inheritdoc />
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public ValueTask<JsonRpcMessage?> ReceiveAsync(CancellationToken cancellationToken) => _exchange.ReceiveAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask SendAsync(JsonRpcMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _perRequest is { } mode ? SendPerRequestAsync(message, mode, cancellationToken) : SendInSessionAsync(message, cancellationToken);
    }

    /// <inheritdoc />
    public string? NetworkTransport => "tcp";

    /// <summary>Stops every stream and ends the session, if there is one, with DELETE (a 405 answer is fine).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _exchange.StopAsync().ConfigureAwait(false);
        _standalone.Stop();
        try
        {
            if (_sessionId is not null && _legacy is null)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                using var request = CreateSessionRequest(HttpMethod.Delete, null, _sessionId, _protocolVersion);
                using var response = await _exchange.SendAsync(request, timeout.Token).ConfigureAwait(false);
                TransportLog.Deleted(_exchange.Logger, (int)response.StatusCode);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Ending the session is a courtesy (the server expires it anyway); disposing must finish regardless.
            TransportLog.DeleteFailed(_exchange.Logger, ex.Message);
        }
        finally
        {
            _exchange.Complete();
            try
            {
                await _standalone.Completion.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException or IOException)
            {
            }

            _exchange.Dispose();
        }
    }

    private async ValueTask SendInSessionAsync(JsonRpcMessage message, CancellationToken cancellationToken)
    {
        bool isInitialize = message is JsonRpcRequest { Method: McpMethods.Initialize };
        bool isInitialized = message is JsonRpcNotification { Method: McpMethods.NotificationsInitialized };
        if (isInitialize)
        {
            _initializeId = ((JsonRpcRequest)message).Id;
        }

        byte[] body = JsonRpcMessageWriter.ToUtf8Bytes(message);
        if (_legacy is { } legacy)
        {
            await legacy.PostAsync(body, cancellationToken).ConfigureAwait(false);
            return;
        }

        await AbandonAsync(message).ConfigureAwait(false);

        // The session is read once: a 404 is matched to the id this very message carried, even if a new session
        // replaces the shared one meanwhile. initialize goes without one; initialized goes to the session it confirms.
        var pending = isInitialized ? Volatile.Read(ref _pending) : null;
        string? sessionUsed = isInitialize ? null : pending?.SessionId ?? _sessionId;
        string? versionUsed = isInitialize ? null : pending is not null ? pending.ProtocolVersion : _protocolVersion;

        // Until the server answers, a request can be abandoned (AbandonAsync): one held back by a sign-in is then never sent.
        var sending = message is JsonRpcRequest unanswered ? Track(unanswered.Id, cancellationToken) : null;
        HttpResponseMessage response;
        try
        {
            response = await _exchange.SendPostAsync(() =>
            {
                var post = _exchange.CreatePost(body);
                AddSessionHeaders(post, sessionUsed, versionUsed);
                return post;
            }, sending?.Token ?? cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (message is JsonRpcRequest request && ex.HttpRequestError is not (HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError))
        {
            // The request reached the server, whose connection then broke before any answer (its node died): it may
            // or may not have run, and there is no stream to resume.
            throw new McpRequestLostException($"The connection broke while '{request.Method}' was under way, before any answer: the request may or may not have run.", ex);
        }
        finally
        {
            if (sending is not null)
            {
                Release(((JsonRpcRequest)message).Id, sending);
            }
        }

        if (response.StatusCode == HttpStatusCode.NotFound && sessionUsed is not null)
        {
            // HTTP-SESS-404: the server forgot the session and did not process the message. The client decides what next.
            response.Dispose();
            throw new SessionExpiredException(sessionUsed, static reason => new McpHttpException(404, reason));
        }

        if (isInitialize && !_hadSession && _exchange.Options.EnableLegacySseFallback
            && response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
        {
            // HTTP-BC-CLIENT-PROBE: maybe the server speaks the 2024-11-05 HTTP+SSE transport (only on the first
            // initialize: a server that served Streamable HTTP once does not turn into an HTTP+SSE one).
            response.Dispose();
            _legacy = await LegacySseFallback.StartAsync(_exchange, (int)response.StatusCode, cancellationToken).ConfigureAwait(false);
            await _legacy.PostAsync(body, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                string detail = await HttpExchange.ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
                throw new McpHttpException((int)response.StatusCode, $"POST {HttpExchange.Describe(message)} failed with {(int)response.StatusCode}: {detail}");
            }
        }

        if (isInitialize)
        {
            AdoptSession(response.Headers.TryGetValues(McpHttpHeaders.SessionId, out var ids) ? ids.FirstOrDefault() : null);
        }

        _ = await ReadAnswerAsync(response, message as JsonRpcRequest, ResumeAsync, _exchange.Stopping, cancellationToken).ConfigureAwait(false);
        if (isInitialized)
        {
            if (pending is not null)
            {
                Volatile.Write(ref _pending, null);

                // The new session is initialized: from now on every message goes to it.
                _protocolVersion = pending.ProtocolVersion;
                _sessionId = pending.SessionId;
            }

            if (_exchange.Options.OpenStandaloneStream && Volatile.Read(ref _disposed) == 0)
            {
                _standalone.Start(_sessionId);
            }
        }
    }

    private void AdoptSession(string? newSession)
    {
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

    // M26-HTTP-*: one POST per request, the standard headers, no session; notifications are not sent (cancellation is
    // closing the request's stream, M26-CANCEL-HTTP).
    private async ValueTask SendPerRequestAsync(JsonRpcMessage message, PerRequestMode mode, CancellationToken cancellationToken)
    {
        if (message is not JsonRpcRequest request)
        {
            await AbandonAsync(message).ConfigureAwait(false);
            return;
        }

        // The request's own token: cancelling it closes the POST (and its stream); the request's owner disposes it.
        var call = Track(request.Id, CancellationToken.None);
        Task? reading = null;
        try
        {
            HttpResponseMessage response;
            byte[] body = JsonRpcMessageWriter.ToUtf8Bytes(request);
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, call.Token))
            {
                response = await _exchange.SendPostAsync(() =>
                {
                    var post = _exchange.CreatePost(body);
                    PerRequestHeaders.Add(post.Headers, request, mode.Version, mode.Tools);
                    return post;
                }, linked.Token).ConfigureAwait(false);
            }

            if (!response.IsSuccessStatusCode)
            {
                await DeliverErrorAnswerAsync(response, request, call.Token).ConfigureAwait(false);
                return;
            }

            if (response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.NoContent || response.Content.Headers.ContentType is null)
            {
                int status = (int)response.StatusCode;
                response.Dispose();
                throw new McpHttpException(status, $"POST {request.Method} was answered {status} with no body: a 2026-07-28 request is answered with JSON or an SSE stream.");
            }

            reading = await ReadAnswerAsync(response, request, resume: null, call.Token, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (reading is null)
            {
                Release(request.Id, call);
            }
            else
            {
                _ = reading.ContinueWith(_ => Release(request.Id, call), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
    }

    // The request's own token, linked to the caller's and to the transport's life, registered so that AbandonAsync finds it.
    private CancellationTokenSource Track(RequestId id, CancellationToken cancellationToken)
    {
        var call = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _exchange.Stopping);
        _inFlight[id] = call;
        return call;
    }

    // The engine gave up on a request (cancelled, timed out) and says so with notifications/cancelled: a POST of it still
    // in flight is cancelled. In a session that is the POST until its answer starts (one waiting for a token is then
    // never sent, one waiting for its answer is closed; the notification still goes out); per request it is the POST and
    // its stream (M26-CANCEL-HTTP). The 2024-11-05 fallback's POSTs are not tracked.
    private async ValueTask AbandonAsync(JsonRpcMessage message)
    {
        if (message is JsonRpcNotification { Method: McpMethods.NotificationsCancelled } cancelled
            && cancelled.Params.Deserialize(McpJsonContext.Default.CancelledNotificationParams)?.RequestId is { } id
            && _inFlight.TryGetValue(id, out var abort))
        {
            try
            {
                await abort.CancelAsync().ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                // Released meanwhile: the POST was answered (or failed) just now; the notification still goes out.
            }
        }
    }

    private void Release(RequestId id, CancellationTokenSource call)
    {
        _inFlight.TryRemove(KeyValuePair.Create(id, call));
        call.Dispose();
    }

    // A 4xx or 5xx answer to a 2026-07-28 request: a JSON-RPC error in the body is the request's answer (-32020, -32021,
    // -32022, -32601, ...: the client acts on the code); anything else fails the request with the status.
    private async Task DeliverErrorAnswerAsync(HttpResponseMessage response, JsonRpcRequest request, CancellationToken cancellationToken)
    {
        using (response)
        {
            if (response.Content.Headers.ContentType?.MediaType is { } type && type.Equals("application/json", StringComparison.OrdinalIgnoreCase))
            {
                byte[] bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                if (JsonRpcMessageParser.TryParse(bytes, out var answer, out _, out _) && answer is JsonRpcErrorResponse error)
                {
                    // The body answers this POST, whatever id the server could read.
                    await _exchange.DeliverAsync(new JsonRpcErrorResponse(request.Id, error.Error), cancellationToken).ConfigureAwait(false);
                    return;
                }

                throw new McpHttpException((int)response.StatusCode, $"POST {request.Method} failed with {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(bytes.AsSpan(0, Math.Min(bytes.Length, 500)))}");
            }

            string detail = await HttpExchange.ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
            throw new McpHttpException((int)response.StatusCode, $"POST {request.Method} failed with {(int)response.StatusCode}: {detail}");
        }
    }

    // The answer to a POST: nothing (202), one JSON body, or an SSE stream read in the background (returned, so the
    // caller knows when it ends).
    private async Task<Task?> ReadAnswerAsync(HttpResponseMessage response, JsonRpcRequest? request, SseResponseReader.Resume? resume, CancellationToken streamToken, CancellationToken cancellationToken)
    {
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.NoContent || mediaType is null)
        {
            response.Dispose();
            return null;
        }

        if (mediaType.Equals("text/event-stream", StringComparison.OrdinalIgnoreCase))
        {
            return _reader.ReadAnswerAsync(response, request, resume, streamToken);
        }

        using (response)
        {
            if (!mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
            {
                throw new McpHttpException((int)response.StatusCode, $"POST {(request is null ? "message" : request.Method)} was answered with unexpected content type '{mediaType}'.");
            }

            using var linked = CancellationTokenSource.CreateLinkedTokenSource(streamToken, cancellationToken);
            byte[] bytes = await response.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false);
            await _exchange.DeliverJsonAsync(bytes, cancellationToken).ConfigureAwait(false);
            return null;
        }
    }

    // The negotiated version goes into MCP-Protocol-Version from now on (for a new session, once initialized).
    private void Observe(JsonRpcMessage message)
    {
        if (message is JsonRpcResponse response && _initializeId is { } initializeId && response.Id == initializeId)
        {
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
    }

    // HTTP-RESUME-GET: a dropped answer stream of the current session is resumed by GET.
    private Task<HttpResponseMessage> ResumeAsync(string lastEventId, CancellationToken cancellationToken) =>
        GetAsync(_sessionId, lastEventId, cancellationToken);

    private async Task<HttpResponseMessage> GetAsync(string? sessionId, string? lastEventId, CancellationToken cancellationToken)
    {
        using var request = CreateSessionRequest(HttpMethod.Get, "text/event-stream", sessionId, _protocolVersion);
        if (lastEventId is not null)
        {
            request.Headers.TryAddWithoutValidation(McpHttpHeaders.LastEventId, lastEventId);
        }

        return await _exchange.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private HttpRequestMessage CreateSessionRequest(HttpMethod method, string? accept, string? sessionId, string? version)
    {
        var request = _exchange.Create(method, accept);
        AddSessionHeaders(request, sessionId, version);
        return request;
    }

    // HTTP-SESS-CLIENT-ECHO and HTTP-PV-SEND: on everything after initialize (a re-initialize goes without).
    private static void AddSessionHeaders(HttpRequestMessage request, string? sessionId, string? version)
    {
        if (sessionId is not null)
        {
            request.Headers.TryAddWithoutValidation(McpHttpHeaders.SessionId, sessionId);
        }

        if (version is not null)
        {
            request.Headers.TryAddWithoutValidation(McpHttpHeaders.ProtocolVersion, version);
        }
    }

    // A session that replaces a lost one, between its initialize and its notifications/initialized.
    private sealed record PendingSession(string? SessionId, string? ProtocolVersion);

    // Revision 2026-07-28: the version every request names, and where a called tool's x-mcp-header parameters are.
    private sealed record PerRequestMode(string Version, ToolHeaderCatalog Tools);
}

internal static partial class TransportLog
{
    [LoggerMessage(401, LogLevel.Debug, "DELETE of the session answered {Status}.")]
    public static partial void Deleted(ILogger logger, int status);

    [LoggerMessage(402, LogLevel.Debug, "DELETE of the session failed: {Reason}")]
    public static partial void DeleteFailed(ILogger logger, string reason);

    [LoggerMessage(403, LogLevel.Information, "The server answered {Status} (not processed); sending again in {Wait}.")]
    public static partial void Unavailable(ILogger logger, int status, TimeSpan wait);
}

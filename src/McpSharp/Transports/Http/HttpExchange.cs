using System.Net;
using System.Net.Http.Headers;
using System.Threading.Channels;
using McpSharp.JsonRpc;
using Microsoft.Extensions.Logging;

namespace McpSharp.Transports.Http;

/// <summary>
/// What every part of the Streamable HTTP client shares: the HttpClient with the application's headers and hook, the
/// clock, and the one queue the engine reads messages from. Requests are built and sent here; messages arrive here,
/// whichever stream carried them.
/// </summary>
internal sealed class HttpExchange : IDisposable
{
    private readonly HttpClientTransportOptions _options;
    private readonly bool _ownsHttp;
    private readonly Channel<JsonRpcMessage> _incoming = Channel.CreateBounded<JsonRpcMessage>(new BoundedChannelOptions(1024) { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();

    /// <summary>How many times one request is sent again with a new token.</summary>
    internal const int MaxTokenRetries = 2;

    private long _authorizations;

    public HttpExchange(HttpClientTransportOptions options, ILogger logger)
    {
        _options = options;
        _ownsHttp = options.HttpClient is null;
        Http = options.HttpClient ?? new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        Time = options.TimeProvider ?? TimeProvider.System;
        Logger = logger;
    }

    public HttpClient Http { get; }

    /// <summary>How many refusals went to the token provider (see <see cref="Client.IPerRequestTransport.Authorizations"/>).</summary>
    public long Authorizations => Interlocked.Read(ref _authorizations);

    public HttpClientTransportOptions Options => _options;

    public TimeProvider Time { get; }

    public ILogger Logger { get; }

    /// <summary>Cancelled when the transport is disposed: every stream stops.</summary>
    public CancellationToken Stopping => _stop.Token;

    /// <summary>Sees each message before the engine does (the transport learns the negotiated version from it).</summary>
    public Action<JsonRpcMessage>? Observe { get; set; }

    /// <summary>Fails a request whose answer will never come (set by the engine, see <see cref="IMessageLossTransport"/>).</summary>
    public Action<JsonRpcMessage, Exception>? MessageLost { get; set; }

    /// <summary>A request to the endpoint (or <paramref name="uri"/>) with the application's headers; the caller adds the MCP ones.</summary>
    public HttpRequestMessage Create(HttpMethod method, string? accept, Uri? uri = null)
    {
        var request = new HttpRequestMessage(method, uri ?? _options.Endpoint);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        foreach (var (name, value) in _options.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    /// <summary>A POST of one JSON-RPC message body that accepts both answer forms.</summary>
    public HttpRequestMessage CreatePost(byte[] body, Uri? uri = null)
    {
        var request = Create(HttpMethod.Post, "application/json, text/event-stream", uri);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return request;
    }

    /// <summary>
    /// Puts the bearer token on, runs the application's hook, then sends; the response's body is read by the caller. A
    /// request refused for its token (401, or 403 <c>insufficient_scope</c>) is sent again when the token provider
    /// answers the challenge with another token, at most <see cref="MaxTokenRetries"/> times (a 401 answered by a
    /// sign-in may meet a 403 that asks for more scope).
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (_options.AccessTokenProvider is not { } tokens)
        {
            return await SendOnceAsync(request, cancellationToken).ConfigureAwait(false);
        }

        string? token = await tokens(null, cancellationToken).ConfigureAwait(false);
        Authorize(request, token);
        var response = await SendOnceAsync(request, cancellationToken).ConfigureAwait(false);
        byte[]? body = null;
        for (int retry = 0; retry < MaxTokenRetries && Challenge(response) is { } challenge; retry++)
        {
            challenge.RefusedToken = token;

            // The refusal is read and its connection released before the provider answers: a sign-in can take minutes,
            // and a connection held across it has long been closed by the server (Node closes idle ones after 5 s)
            // when this request is sent again on it.
            response = await DetachAsync(response, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _authorizations);
            string? answer;
            try
            {
                answer = await tokens(challenge, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                response.Dispose();
                throw;
            }

            if (answer is null || answer == token)
            {
                break;
            }

            response.Dispose();

            // The body is read again only for a retry (the transport's bodies are byte arrays, still readable after sending).
            body ??= request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            var again = Copy(request, body);
            Authorize(again, token = answer);
            response = await SendOnceAsync(again, cancellationToken).ConfigureAwait(false);
        }

        return response;
    }

    private async Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (_options.OnRequest is { } hook)
        {
            await hook(request, cancellationToken).ConfigureAwait(false);
        }

        return await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
    }

    private static void Authorize(HttpRequestMessage request, string? token) =>
        request.Headers.Authorization = token is null ? null : new AuthenticationHeaderValue("Bearer", token);

    // 401, or 403 with error="insufficient_scope" (a 403 for anything else, e.g. another user's session, is no challenge).
    private static McpAuthorizationChallenge? Challenge(HttpResponseMessage response)
    {
        if (response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden))
        {
            return null;
        }

        var challenge = McpAuthorizationChallenge.Parse(response);
        return response.StatusCode == HttpStatusCode.Unauthorized || challenge.Error == "insufficient_scope" ? challenge : null;
    }

    /// <summary>The most of a refusal's body kept when its connection is released (the rest is dropped).</summary>
    internal const int MaxRefusalBody = 64 * 1024;

    /// <summary>How long a refusal's body may take to arrive; a body still coming after that is dropped, with its connection.</summary>
    internal static readonly TimeSpan RefusalBodyTimeout = TimeSpan.FromSeconds(10);

    // A copy of the response, its body (up to MaxRefusalBody, within RefusalBodyTimeout) in memory; the original is
    // disposed, so its connection goes back to the pool (or is closed) now.
    private async Task<HttpResponseMessage> DetachAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using (response)
        {
            byte[] body;
            using var limit = new CancellationTokenSource(RefusalBodyTimeout, Time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token);
            try
            {
                var stream = await response.Content.ReadAsStreamAsync(linked.Token).ConfigureAwait(false);
                await using (stream.ConfigureAwait(false))
                {
                    var buffer = new byte[response.Content.Headers.ContentLength is long length and < MaxRefusalBody ? (int)length : MaxRefusalBody];
                    int read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, linked.Token).ConfigureAwait(false);
                    body = read == buffer.Length ? buffer : buffer.AsSpan(0, read).ToArray();
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                body = [];
            }

            var copy = new HttpResponseMessage(response.StatusCode)
            {
                Version = response.Version,
                ReasonPhrase = response.ReasonPhrase,
                RequestMessage = response.RequestMessage,
                Content = new ByteArrayContent(body),
            };
            foreach (var (name, values) in response.Headers)
            {
                // The copy's body is whole and in memory: how the original was framed on its connection does not apply.
                if (!name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && !name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
                {
                    copy.Headers.TryAddWithoutValidation(name, values);
                }
            }

            foreach (var (name, values) in response.Content.Headers)
            {
                if (!name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                {
                    copy.Content.Headers.TryAddWithoutValidation(name, values);
                }
            }

            return copy;
        }
    }

    // A request is sent once; the retry is a copy (method, URI, headers, the same body bytes).
    private static HttpRequestMessage Copy(HttpRequestMessage request, byte[]? body)
    {
        var copy = new HttpRequestMessage(request.Method, request.RequestUri) { Version = request.Version, VersionPolicy = request.VersionPolicy };
        foreach (var (name, values) in request.Headers)
        {
            copy.Headers.TryAddWithoutValidation(name, values);
        }

        if (body is not null)
        {
            copy.Content = new ByteArrayContent(body);
            foreach (var (name, values) in request.Content!.Headers)
            {
                copy.Content.Headers.TryAddWithoutValidation(name, values);
            }
        }

        return copy;
    }

    /// <summary>
    /// Sends the POST that <paramref name="build"/> makes, and again (a new one) while the server answers 503 or 429
    /// (<see cref="HttpClientTransportOptions.MaxUnavailableRetries"/>), after the wait it asks for.
    /// </summary>
    public async Task<HttpResponseMessage> SendPostAsync(Func<HttpRequestMessage> build, CancellationToken cancellationToken)
    {
        for (int retry = 1; ; retry++)
        {
            HttpResponseMessage response;
            using (var post = build())
            {
                response = await SendAsync(post, cancellationToken).ConfigureAwait(false);
            }

            if (response.StatusCode is not (HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests) || retry > _options.MaxUnavailableRetries)
            {
                return response;
            }

            var wait = RetryAfter(response, retry);
            TransportLog.Unavailable(Logger, (int)response.StatusCode, wait);
            response.Dispose();
            await Task.Delay(wait, Time, cancellationToken).ConfigureAwait(false);
        }
    }

    // The server's Retry-After (seconds or a date), at most MaxReconnectDelay; without one, the default delay doubled per retry.
    private TimeSpan RetryAfter(HttpResponseMessage response, int retry)
    {
        var asked = response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - Time.GetUtcNow(),
            _ => _options.DefaultReconnectDelay * Math.Pow(2, retry - 1),
        };
        return asked < TimeSpan.Zero ? TimeSpan.Zero : asked > _options.MaxReconnectDelay ? _options.MaxReconnectDelay : asked;
    }

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

    public ValueTask DeliverAsync(JsonRpcMessage message, CancellationToken cancellationToken)
    {
        Observe?.Invoke(message);
        return _incoming.Writer.WriteAsync(message, cancellationToken);
    }

    /// <summary>Delivers the message, or each message of the batch, in a JSON body; what does not parse is dropped.</summary>
    public async Task DeliverJsonAsync(byte[] bytes, CancellationToken cancellationToken)
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

    /// <summary>The request will not be answered: its caller fails now with <paramref name="reason"/>.</summary>
    public void Lose(JsonRpcMessage request, Exception reason)
    {
        if (!_stop.IsCancellationRequested)
        {
            MessageLost?.Invoke(request, reason);
        }
    }

    /// <summary>No more messages: the engine's read loop ends (with <paramref name="error"/>, if given).</summary>
    public void Complete(Exception? error = null) => _incoming.Writer.TryComplete(error);

    public Task StopAsync() => _stop.CancelAsync();

    public void Dispose()
    {
        _incoming.Writer.TryComplete();
        if (_ownsHttp)
        {
            Http.Dispose();
        }

        // _stop is left to the GC: stream readers that outlive Dispose still look at its (cancelled) token.
    }

    /// <summary>The start of an error response's body, for the exception message.</summary>
    public static async Task<string> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            string text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return text.Length > 500 ? text[..500] : text;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
        {
            return response.ReasonPhrase ?? string.Empty;
        }
    }

    public static string Describe(JsonRpcMessage message) => message switch
    {
        JsonRpcRequest request => request.Method,
        JsonRpcNotification notification => notification.Method,
        _ => "response",
    };
}

namespace McpSharp.Transports.Http;

/// <summary>Options of the Streamable HTTP client transport.</summary>
public sealed class HttpClientTransportOptions
{
    /// <summary>The MCP endpoint, e.g. <c>http://127.0.0.1:3001/mcp</c>.</summary>
    public required Uri Endpoint { get; set; }

    /// <summary>The HttpClient to use (not disposed by the transport); by default the transport creates and owns one.</summary>
    public HttpClient? HttpClient { get; set; }

    /// <summary>Headers added to every request (POST, GET, DELETE).</summary>
    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Runs before every request is sent, e.g. to add <c>Authorization: Bearer …</c> (AUTH-BEARER-HEADER).</summary>
    public Func<HttpRequestMessage, CancellationToken, ValueTask>? OnRequest { get; set; }

    /// <summary>
    /// Supplies the bearer token put on every request, POST, GET and DELETE alike (AUTH-BEARER-HEADER); asked again with
    /// the server's challenge when a request gets 401 or 403 <c>insufficient_scope</c>, and the request is sent once more
    /// with the new token (at most twice: a provider that answers with the same token, or none, leaves the refusal standing).
    /// </summary>
    public McpAccessTokenProvider? AccessTokenProvider { get; set; }

    /// <summary>Open the standalone GET stream after initialization (default true; a 405 means the server offers none).</summary>
    public bool OpenStandaloneStream { get; set; } = true;

    /// <summary>How many times a dropped stream is resumed in a row before giving up (default 5).</summary>
    public int MaxReconnectAttempts { get; set; } = 5;

    /// <summary>The wait before resuming when the server sent no <c>retry</c> (default 1 s); doubled per failed attempt.</summary>
    public TimeSpan DefaultReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between attempts (default 30 s).</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How many times a POST answered <c>503 Service Unavailable</c> or <c>429 Too Many Requests</c> is sent again (default
    /// 3; 0: never). Both say the server did not process the message (a cluster node whose backend is briefly away, an
    /// overloaded server), so sending it again is safe. Each retry waits for the answer's <c>Retry-After</c> (at most
    /// <see cref="MaxReconnectDelay"/>), or without one <see cref="DefaultReconnectDelay"/>, doubled per retry.
    /// </summary>
    public int MaxUnavailableRetries { get; set; } = 3;

    /// <summary>
    /// When <c>initialize</c> by POST gets 400, 404 or 405, try the 2024-11-05 HTTP+SSE transport (GET, expect an
    /// <c>endpoint</c> event) before giving up (HTTP-BC-CLIENT-PROBE; default true).
    /// </summary>
    public bool EnableLegacySseFallback { get; set; } = true;

    /// <summary>The clock for reconnect waits (default: the system clock).</summary>
    public TimeProvider? TimeProvider { get; set; }
}

/// <summary>An HTTP request of the MCP transport failed with a status the protocol does not recover from.</summary>
public sealed class McpHttpException : IOException
{
    /// <summary>Creates the exception.</summary>
    public McpHttpException(int statusCode, string message)
        : base(message) => StatusCode = statusCode;

    /// <summary>Creates the exception.</summary>
    public McpHttpException() : this(0, "The MCP HTTP request failed.") { }

    /// <summary>Creates the exception.</summary>
    public McpHttpException(string message) : this(0, message) { }

    /// <summary>Creates the exception.</summary>
    public McpHttpException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception.</summary>
    public McpHttpException(int statusCode, string message, Exception innerException)
        : base(message, innerException) => StatusCode = statusCode;

    /// <summary>The HTTP status code (0 when there was no response).</summary>
    public int StatusCode { get; }
}

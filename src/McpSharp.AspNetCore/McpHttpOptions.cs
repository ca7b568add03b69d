namespace McpSharp.AspNetCore;

/// <summary>Options of the Streamable HTTP endpoint. Every limit has a safe default.</summary>
public sealed class McpHttpOptions
{
    /// <summary>
    /// Stateless mode: no sessions; every POST stands alone; GET and DELETE answer 405 (default false). Server-to-client
    /// requests (sampling, elicitation, roots) are impossible in this mode.
    /// </summary>
    public bool Stateless { get; set; }

    /// <summary>Answer requests with <c>application/json</c> instead of an SSE stream (default false).</summary>
    public bool JsonResponse { get; set; }

    /// <summary>A session with no request for this long is ended (default 30 minutes). Open streams count as activity.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// At most this many sessions (default 10,000). A new one evicts the longest-idle session with no work in flight;
    /// if none can go, the <c>initialize</c> is answered 503 with <c>Retry-After</c>.
    /// </summary>
    public int MaxSessions { get; set; } = 10_000;

    /// <summary>Largest accepted POST body in bytes (default 4 MiB); larger ones get 413.</summary>
    public long MaxRequestBodySize { get; set; } = 4 * 1024 * 1024;

    /// <summary>Interval of keep-alive comments on idle SSE streams (default 15 s); null turns them off.</summary>
    public TimeSpan? KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Messages that may wait for one slow SSE reader (default 256); beyond that the sender waits (backpressure).</summary>
    public int StreamQueueCapacity { get; set; } = 256;

    /// <summary>
    /// Resumability (2025-11-25 "Resumability and Redelivery"): events get ids, a priming event opens each POST stream, and
    /// a client can resume a dropped stream with GET and <c>Last-Event-ID</c> (default true, with a bounded in-memory store).
    /// </summary>
    public bool EnableResumability { get; set; } = true;

    /// <summary>The <c>retry</c> (ms) sent with the priming event and before the server closes a stream early (default 1 s).</summary>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// DNS-rebinding protection (default on): a request whose <c>Origin</c> is not allowed gets 403; on a loopback
    /// binding a <c>Host</c> that is not loopback gets 403. A request without <c>Origin</c> (a non-browser client) passes.
    /// </summary>
    public bool EnableDnsRebindingProtection { get; set; } = true;

    /// <summary>
    /// Origins allowed besides the same origin and loopback origins, e.g. <c>https://app.example.com</c>
    /// (scheme://host[:port], compared case-insensitively).
    /// </summary>
    public IList<string> AllowedOrigins { get; } = [];

    /// <summary>Host names allowed on a loopback binding besides localhost, 127.0.0.1 and [::1].</summary>
    public IList<string> AllowedHosts { get; } = [];
}

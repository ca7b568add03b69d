namespace McpSharp.AspNetCore;

/// <summary>Which protocol eras an endpoint serves, and how (the era of each request is decided from its body).</summary>
public enum McpSessionMode
{
    /// <summary>
    /// Both eras on one endpoint (the default): 2025 clients get sessions (<c>MCP-Session-Id</c>, GET stream, DELETE);
    /// 2026-07-28 requests are served per request, with no session id read, minted or echoed, and 405 for GET and DELETE.
    /// </summary>
    Hybrid,

    /// <summary>
    /// 2025 sessions only: a 2026-07-28 request gets -32022 naming the handshake versions, so a dual-era client falls
    /// back to <c>initialize</c>.
    /// </summary>
    Stateful,

    /// <summary>
    /// No sessions: every POST stands alone, in either era; GET and DELETE answer 405. 2025 clients get no
    /// server-to-client requests (sampling, elicitation, roots); 2026-07-28 clients get them as input_required rounds.
    /// </summary>
    Stateless,
}

/// <summary>Options of the Streamable HTTP endpoint. Every limit has a safe default.</summary>
public sealed class McpHttpOptions
{
    /// <summary>Which eras the endpoint serves, and whether 2025 clients get sessions (default <see cref="McpSessionMode.Hybrid"/>).</summary>
    public McpSessionMode SessionMode { get; set; } = McpSessionMode.Hybrid;

    /// <summary>True in <see cref="McpSessionMode.Stateless"/> (no sessions at all).</summary>
    internal bool Stateless => SessionMode == McpSessionMode.Stateless;

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
    /// On graceful shutdown, how long requests already running in sessions get to answer (default 5 s, within the host's
    /// shutdown timeout); what still runs then, and what arrives meanwhile, is answered with a shutting-down error.
    /// </summary>
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(5);

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

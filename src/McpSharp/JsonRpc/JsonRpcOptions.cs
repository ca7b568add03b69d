namespace McpSharp.JsonRpc;

/// <summary>Limits and timeouts of one JSON-RPC connection.</summary>
public sealed class JsonRpcOptions
{
    /// <summary>Requests whose handlers run at the same time (default 64). Later ones wait their turn.</summary>
    public int MaxConcurrentRequests { get; set; } = 64;

    /// <summary>
    /// Requests that may wait for a free handler slot (default 1,024). A request beyond that is answered at once with
    /// -32000 "Too many requests", so a flooding peer gets an error instead of unbounded memory.
    /// </summary>
    public int MaxQueuedRequests { get; set; } = 1024;

    /// <summary>How long a request this side sends waits for its response (default 60 s); then it is cancelled.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>After the peer closes its side, how long running handlers may finish and answer (default 5 s).</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Whether a request read from a stream (stdio) starts its handler on the read loop itself, running it until its
    /// first await (default true): no thread hop, the lowest latency. Reading never waits long for it: see
    /// <see cref="InlineStallThreshold"/>. False queues every handler to the thread pool.
    /// </summary>
    public bool RunHandlersInline { get; set; } = true;

    /// <summary>
    /// How long an inline handler may hold the read loop before reading moves to another thread (default 50 ms), so a
    /// handler that blocks (or waits synchronously for a response only the read loop can deliver) delays reading by
    /// at most about twice this.
    /// </summary>
    public TimeSpan InlineStallThreshold { get; set; } = TimeSpan.FromMilliseconds(50);
}

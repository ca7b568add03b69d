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
}

namespace McpSharp.Redis;

/// <summary>Options of the Redis backend (<c>WithRedis</c>, see <see cref="McpRedisBuilderExtensions"/>).</summary>
public sealed class McpRedisOptions
{
    /// <summary>
    /// The StackExchange.Redis configuration string, e.g. <c>localhost:6379</c> or
    /// <c>redis1:6379,redis2:6379,password=...,ssl=true</c>. <c>abortConnect=false</c> is added unless given: a node
    /// starts while Redis is down, and answers 503 until it is back.
    /// </summary>
    public string Configuration { get; set; } = "localhost:6379";

    /// <summary>Put in front of every key and channel, so that several endpoints can share one Redis (default <c>mcp:</c>).</summary>
    public string KeyPrefix { get; set; } = "mcp:";

    /// <summary>Events kept per stream for resumption (default 256); resuming from before the oldest kept one gets 400.</summary>
    public int MaxEventsPerStream { get; set; } = 256;

    /// <summary>How long an operation may wait for Redis before the request gets 503 (default 5 s).</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(5);
}

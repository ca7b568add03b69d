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

    /// <summary>
    /// How long a node's hold on the tasks it runs lasts without being renewed (default 15 s; renewed every third of
    /// it). A task whose node stopped, died or lost Redis for longer is seen as failed by every node.
    /// </summary>
    public TimeSpan TaskLease { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How many tasks are kept across the nodes (default 10,000). At the limit, the task that finished first makes
    /// room; when every task is still running, a call that would start one more is refused (-32603).
    /// </summary>
    public int MaxTasks { get; set; } = 10_000;
}

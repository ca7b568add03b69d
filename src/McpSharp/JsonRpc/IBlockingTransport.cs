namespace McpSharp.JsonRpc;

/// <summary>
/// A transport whose reads block the calling thread (stdio over the console streams, which have no asynchronous I/O).
/// The connection drives such a transport's read loop synchronously on a thread of its own, never on the thread pool.
/// </summary>
internal interface IBlockingTransport
{
    /// <summary>True when <see cref="IMcpTransport.ReceiveAsync"/> blocks until input arrives.</summary>
    bool ReadsBlock { get; }
}

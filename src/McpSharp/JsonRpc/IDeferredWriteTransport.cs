namespace McpSharp.JsonRpc;

/// <summary>
/// A transport that writes messages after <see cref="IMcpTransport.SendAsync"/> has returned (from its queue), so it
/// cannot throw to the sender when a message turns out not to serialize. It reports that here instead, and the
/// connection fails the request that is waiting for an answer that will never come.
/// </summary>
internal interface IDeferredWriteTransport
{
    /// <summary>Called on the writing thread with a request or notification that was dropped, and why.</summary>
    Action<JsonRpcMessage, Exception>? WriteFailed { get; set; }
}

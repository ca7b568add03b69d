namespace McpSharp.JsonRpc;

/// <summary>
/// A transport that can learn, after <see cref="IMcpTransport.SendAsync"/> has returned, that a message it accepted
/// will never be answered: stdio writes from a queue and may find a message does not serialize; Streamable HTTP reads
/// the answer from a stream that may break. It reports that here, and the connection fails the waiting request now
/// with the reason instead of at its timeout.
/// </summary>
internal interface IMessageLossTransport
{
    /// <summary>Called with the request or notification that was lost, and why.</summary>
    Action<JsonRpcMessage, Exception>? MessageLost { get; set; }
}

namespace McpSharp.JsonRpc;

/// <summary>
/// Several messages written as one JSON array: the answer to a JSON-RPC batch (BASE-BATCH, MCP revision 2025-03-26
/// only; see <see cref="Protocol.BatchRule"/>). Transports write it with <see cref="JsonRpcMessageWriter"/>.
/// </summary>
public sealed class JsonRpcBatch : JsonRpcMessage
{
    /// <summary>Creates a batch of <paramref name="messages"/>, written in this order.</summary>
    public JsonRpcBatch(IReadOnlyList<JsonRpcMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        Messages = messages;
    }

    /// <summary>The messages.</summary>
    public IReadOnlyList<JsonRpcMessage> Messages { get; }
}

using McpSharp.JsonRpc;

namespace McpSharp.Protocol;

/// <summary>
/// JSON-RPC batches (BASE-BATCH): only revision 2025-03-26 allows them, and never with <c>initialize</c> inside. One
/// rule for every transport (Streamable HTTP, stateful and stateless, and stdio).
/// </summary>
public static class BatchRule
{
    /// <summary>
    /// The error a batch gets under <paramref name="protocolVersion"/> (the session's, or a stateless request's), or
    /// null when it may be processed.
    /// </summary>
    public static JsonRpcError? Check(string? protocolVersion, IReadOnlyList<JsonRpcMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        foreach (var message in messages)
        {
            if (message is JsonRpcRequest { Method: McpMethods.Initialize })
            {
                return new JsonRpcError(McpErrorCodes.InvalidRequest, "Invalid Request: initialize must not be part of a batch.");
            }
        }

        return ProtocolVersions.AllowsBatches(protocolVersion)
            ? null
            : new JsonRpcError(McpErrorCodes.InvalidRequest, "Invalid Request: JSON-RPC batches are only allowed in protocol version 2025-03-26.");
    }
}

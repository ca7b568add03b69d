namespace McpSharp.JsonRpc;

/// <summary>
/// A transport that can take JSON-RPC batches (stdio). Whether a batch is allowed depends on what the session
/// negotiated, which only the session knows: it sets <see cref="CheckBatch"/>, and the transport answers a batch it
/// refuses with the error it returns. Without a check, every batch is refused.
/// </summary>
internal interface IBatchingTransport
{
    /// <summary>The error for a batch of these messages, or null to process them.</summary>
    Func<IReadOnlyList<JsonRpcMessage>, JsonRpcError?>? CheckBatch { get; set; }
}

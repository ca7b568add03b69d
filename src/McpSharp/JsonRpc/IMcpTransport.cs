namespace McpSharp.JsonRpc;

/// <summary>
/// The seam between the JSON-RPC engine and a transport (stdio, Streamable HTTP, in-memory). A transport frames and
/// parses messages; the engine correlates and dispatches them.
/// </summary>
/// <remarks>
/// Contract: <see cref="ReceiveAsync"/> is called by one reader at a time (the engine's read loop) and returns null
/// once the peer has closed the connection. <see cref="SendAsync"/> may be called concurrently from many threads; the
/// transport serializes writes and applies backpressure (a bounded queue) rather than buffering without limit.
/// A transport answers input it cannot parse itself (for example with a -32700 error), and never hands it to the engine.
/// </remarks>
public interface IMcpTransport : IAsyncDisposable
{
    /// <summary>Waits for the next message; returns null when the connection has closed.</summary>
    ValueTask<JsonRpcMessage?> ReceiveAsync(CancellationToken cancellationToken);

    /// <summary>Sends a message, routed by <see cref="JsonRpcMessage.Route"/> where the transport has several streams.</summary>
    ValueTask SendAsync(JsonRpcMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// The transport protocol under the connection, as telemetry names it (<c>network.transport</c>): <c>tcp</c> for HTTP,
    /// <c>pipe</c> for stdio; null when none applies (in memory).
    /// </summary>
    string? NetworkTransport => null;
}

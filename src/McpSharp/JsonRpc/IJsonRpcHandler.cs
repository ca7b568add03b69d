namespace McpSharp.JsonRpc;

/// <summary>What a <see cref="JsonRpcConnection"/> calls for the requests and notifications it receives.</summary>
internal interface IJsonRpcHandler
{
    /// <summary>
    /// True for requests that must finish before the next message is read (for example <c>initialize</c>, whose effect
    /// later messages depend on). Everything else runs concurrently, up to the connection's limit.
    /// </summary>
    bool MustHandleInOrder(JsonRpcRequest request);

    /// <summary>
    /// Handles a request and returns its result. Throw <see cref="Protocol.McpProtocolException"/> to answer with a
    /// JSON-RPC error; any other exception is answered with -32603 and no details.
    /// </summary>
    ValueTask<JsonPayload> HandleRequestAsync(JsonRpcRequest request, CancellationToken cancellationToken);

    /// <summary>Handles a notification, in arrival order, on the read loop: keep it short.</summary>
    ValueTask HandleNotificationAsync(JsonRpcNotification notification, CancellationToken cancellationToken);
}

using McpSharp.Protocol;

namespace McpSharp.JsonRpc;

/// <summary>
/// Where the messages that belong to one received request go, on a transport with more than one stream (Streamable
/// HTTP: the response of the POST that carried the request). A transport sets it on what it receives
/// (<see cref="JsonRpcMessage.Route"/>); the engine puts it on the request's response and on every message sent on the
/// request's behalf (progress, log messages, server-to-client requests), and the transport sends those through it.
/// Transports with one stream (stdio) leave it null. An extension point for transport authors.
/// </summary>
public abstract class MessageRoute
{
    /// <summary>Sends a message that belongs to this route's request: its response, or a message sent on its behalf.</summary>
    public abstract ValueTask SendAsync(JsonRpcMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// The request with <paramref name="id"/> will get no response: the peer cancelled it (CANCEL-RECEIVER) or the
    /// connection closed first. A stream that waits for that response can end instead of waiting forever.
    /// </summary>
    public virtual void OnRequestEndedWithoutResponse(RequestId id)
    {
    }
}

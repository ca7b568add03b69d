using McpSharp.Protocol;

namespace McpSharp.JsonRpc;

/// <summary>
/// A <see cref="JsonRpcMessage.Route"/> that must know when a request it carries ends without a response: the peer
/// cancelled it (no response is sent, CANCEL-RECEIVER) or the connection closed first. An HTTP response stream waiting
/// for that response can then end instead of waiting forever.
/// </summary>
public interface IRequestRoute
{
    /// <summary>The request with <paramref name="id"/> will get no response.</summary>
    void OnRequestEndedWithoutResponse(RequestId id);
}

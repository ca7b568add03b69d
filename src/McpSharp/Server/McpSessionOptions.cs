namespace McpSharp.Server;

/// <summary>How a transport creates a session.</summary>
public sealed class McpSessionOptions
{
    /// <summary>The session id the transport assigned (HTTP), or null.</summary>
    public string? SessionId { get; init; }

    /// <summary>
    /// True for a session that stands for one stateless HTTP request: it is served without a handshake (the client
    /// initialized on an earlier request that no server remembers), knows no client capabilities, and so cannot send
    /// server-to-client requests.
    /// </summary>
    public bool Stateless { get; init; }

    /// <summary>Limits and timeouts of this session's connection; null uses the server's (<see cref="McpServerOptions.JsonRpc"/>).</summary>
    public McpSharp.JsonRpc.JsonRpcOptions? JsonRpc { get; init; }

    /// <summary>For a stateless session: the protocol version the request declared (default 2025-03-26, HTTP-PV-DEFAULT).</summary>
    public string? ProtocolVersion { get; init; }
}

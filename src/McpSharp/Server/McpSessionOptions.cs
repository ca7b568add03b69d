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

    /// <summary>
    /// The state to serve the session from: a session that another process began (and may still be serving), continued
    /// here. Null starts a new session, which waits for <c>initialize</c>.
    /// </summary>
    public McpSessionState? State { get; init; }

    /// <summary>
    /// Called, and awaited before the client gets its answer, each time the client changes the session's state
    /// (<see cref="McpSessionState"/>): a transport that shares sessions between processes stores it here, so the client's
    /// next request sees the change wherever it lands.
    /// </summary>
    public Func<McpSessionState, CancellationToken, ValueTask>? StateChanged { get; init; }

    /// <summary>
    /// When set, the ids of the server's own requests to the client (sampling, elicitation, roots, ping) are strings that
    /// start with it, so that an answer reaching another process can be told to come back here. Null: numbers.
    /// </summary>
    public string? RequestIdPrefix { get; init; }

    /// <summary>
    /// When set, a change announced to every client (<see cref="McpAnnouncement"/>) that this session can hear is handed
    /// here, with the notification to send, instead of going out on the session's transport: a transport whose sessions
    /// several processes serve delivers it itself, once per client (by <see cref="McpAnnouncement.Id"/>).
    /// </summary>
    public Func<McpAnnouncement, McpSharp.JsonRpc.JsonRpcNotification, ValueTask>? Announce { get; init; }
}

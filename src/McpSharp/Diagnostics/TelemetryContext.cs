using McpSharp.JsonRpc;

namespace McpSharp.Diagnostics;

/// <summary>What a connection's owner (a server session, a client) tells its telemetry: the clock, the instruments, the transport, and per request the session and protocol version.</summary>
internal sealed class TelemetryContext(TimeProvider time, McpMetrics metrics, string? networkTransport, Func<string?> sessionId, Func<JsonRpcRequest?, string?> protocolVersion)
{
    public McpMetrics Metrics { get; } = metrics;

    public TimeProvider Time { get; } = time;

    /// <summary><c>network.transport</c>: tcp (HTTP), pipe (stdio), or null.</summary>
    public string? NetworkTransport { get; } = networkTransport;

    /// <summary><c>mcp.session.id</c>: a 2025 session's id; null for stdio, stateless and 2026-07-28 exchanges.</summary>
    public string? SessionId => sessionId();

    /// <summary><c>mcp.protocol.version</c> for a request (its own, in 2026-07-28) or the session's.</summary>
    public string? ProtocolVersion(JsonRpcRequest? request) => protocolVersion(request);

    public static TelemetryContext For(IMcpTransport transport, TimeProvider time) => new(time, McpMetrics.Shared, transport.NetworkTransport, static () => null, static _ => null);
}

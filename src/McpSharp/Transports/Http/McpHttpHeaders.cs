namespace McpSharp.Transports.Http;

/// <summary>
/// The HTTP headers of the Streamable HTTP transport, as the specification spells them (names compare
/// case-insensitively, values case-sensitively: M26-HTTP-HEADER-CASE). One place for client and server.
/// </summary>
public static class McpHttpHeaders
{
    /// <summary><c>MCP-Session-Id</c>: the session of a 2025-era client (HTTP-SESS-*); ignored for 2026-07-28 requests.</summary>
    public const string SessionId = "MCP-Session-Id";

    /// <summary><c>MCP-Protocol-Version</c>: on every request after <c>initialize</c> (2025) or every POST (2026-07-28).</summary>
    public const string ProtocolVersion = "MCP-Protocol-Version";

    /// <summary><c>Last-Event-ID</c>: resumes an SSE stream (2025 revisions only).</summary>
    public const string LastEventId = "Last-Event-ID";

    /// <summary><c>Mcp-Method</c>: the JSON-RPC method of a 2026-07-28 request (M26-HTTP-MCP-METHOD).</summary>
    public const string Method = "Mcp-Method";

    /// <summary><c>Mcp-Name</c>: <c>params.name</c> or <c>params.uri</c> of a 2026-07-28 request (M26-HTTP-MCP-NAME).</summary>
    public const string Name = "Mcp-Name";

    /// <summary>The prefix of the headers that mirror <c>x-mcp-header</c> tool parameters (M26-HTTP-XMCP-*).</summary>
    public const string ParameterPrefix = "Mcp-Param-";
}

namespace McpSharp.Client;

/// <summary>
/// A transport whose framing differs between the eras (Streamable HTTP): a 2026-07-28 request is a POST of its own with
/// the standard headers (<c>MCP-Protocol-Version</c>, <c>Mcp-Method</c>, <c>Mcp-Name</c>, <c>Mcp-Param-*</c>), no session,
/// no GET stream, and cancellation by closing the response stream. <see cref="McpClient"/> switches it when it chooses
/// the era; the transport never chooses by itself.
/// </summary>
internal interface IPerRequestTransport
{
    /// <summary>What identifies the server for the client's era cache (the endpoint URL).</summary>
    string EndpointKey { get; }

    /// <summary>
    /// From the next message on, frame messages for per-request revision <paramref name="protocolVersion"/>, taking the
    /// <c>x-mcp-header</c> parameters of a called tool from <paramref name="tools"/>; null goes back to the handshake era
    /// (sessions).
    /// </summary>
    void UsePerRequest(string? protocolVersion, ToolHeaderCatalog tools);

    /// <summary>
    /// Counts the refusals (401, 403 <c>insufficient_scope</c>) handed to the token provider: each may start an
    /// authorization that waits on the user, so a request that timed out meanwhile says nothing about the server.
    /// </summary>
    long Authorizations { get; }
}

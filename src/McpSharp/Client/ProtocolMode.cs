namespace McpSharp.Client;

/// <summary>Which era of the protocol a client speaks (<see cref="McpClientOptions.ProtocolMode"/>).</summary>
public enum ProtocolMode
{
    /// <summary>
    /// Probe with <c>server/discover</c> first and speak revision 2026-07-28 when the server does; fall back to
    /// <c>initialize</c> and a session otherwise (M26-HTTP-BACKCOMPAT-CLIENT, M26-STDIO-PROBE). The default.
    /// </summary>
    Auto,

    /// <summary>Per-request revisions only (2026-07-28): connecting fails when the server does not speak one.</summary>
    Modern,

    /// <summary>The handshake revisions only (2025-11-25 and earlier): <c>initialize</c> at once, no probe.</summary>
    Legacy,
}

namespace McpSharp.Protocol;

/// <summary>
/// The MCP protocol revisions this SDK speaks, in two eras: revision 2026-07-28 carries its version in every request's
/// <c>_meta</c> (no handshake, no session); 2025-11-25 and earlier negotiate one with <c>initialize</c>
/// (VER-SERVER-ECHO, VER-SERVER-ALT).
/// </summary>
public static class ProtocolVersions
{
    /// <summary>Revision 2026-07-28: per-request metadata, <c>server/discover</c>, no sessions.</summary>
    public const string V20260728 = "2026-07-28";

    /// <summary>Revision 2025-11-25, the latest session-based revision.</summary>
    public const string V20251125 = "2025-11-25";

    /// <summary>Revision 2025-06-18.</summary>
    public const string V20250618 = "2025-06-18";

    /// <summary>Revision 2025-03-26 (the last one that allows JSON-RPC batches).</summary>
    public const string V20250326 = "2025-03-26";

    /// <summary>Revision 2024-11-05.</summary>
    public const string V20241105 = "2024-11-05";

    /// <summary>The newest revision this SDK speaks.</summary>
    public const string Latest = V20260728;

    /// <summary>The newest revision negotiated with <c>initialize</c> (what a 2026-07-28 version never is).</summary>
    public const string LatestHandshake = V20251125;

    /// <summary>
    /// The version assumed over HTTP when a request has no <c>MCP-Protocol-Version</c> header and nothing else tells
    /// (HTTP-PV-DEFAULT).
    /// </summary>
    public const string HttpDefault = V20250326;

    /// <summary>The revisions served per request (2026-07-28 and later), newest first.</summary>
    public static IReadOnlyList<string> PerRequest { get; } = [V20260728];

    /// <summary>The revisions negotiated with <c>initialize</c> (2025-11-25 and earlier), newest first.</summary>
    public static IReadOnlyList<string> Handshake { get; } = [V20251125, V20250618, V20250326, V20241105];

    /// <summary>Every revision this SDK speaks, newest first.</summary>
    public static IReadOnlyList<string> Supported { get; } = [V20260728, V20251125, V20250618, V20250326, V20241105];

    /// <summary>True when <paramref name="version"/> is one of <see cref="Supported"/> (exact, ordinal).</summary>
    public static bool IsSupported(string? version) => version is not null && Canonical(version) is not null;

    /// <summary>True when <paramref name="version"/> is a revision served per request (2026-07-28).</summary>
    public static bool IsPerRequest(string? version) => string.Equals(version, V20260728, StringComparison.Ordinal);

    /// <summary>True when <paramref name="version"/> is a revision negotiated with <c>initialize</c>.</summary>
    public static bool IsHandshake(string? version) => IsSupported(version) && !IsPerRequest(version);

    /// <summary>
    /// The version a server answers to a client's <c>initialize</c>: the requested one when it is a handshake revision,
    /// otherwise the latest handshake revision (the client then decides whether it can continue).
    /// </summary>
    public static string Negotiate(string? requested) => IsHandshake(requested) ? Canonical(requested)! : LatestHandshake;

    /// <summary>True when the revision allows JSON-RPC batches (only 2025-03-26 does).</summary>
    public static bool AllowsBatches(string? version) => string.Equals(version, V20250326, StringComparison.Ordinal);

    /// <summary>True when the revision knows SSE priming events and <c>retry</c> polling (2025-11-25 only: 2026-07-28 has no resumption).</summary>
    public static bool SupportsSsePolling(string? version) => string.Equals(version, V20251125, StringComparison.Ordinal);

    // Returns the interned constant so negotiated versions never hold on to request buffers.
    private static string? Canonical(string? version) => version switch
    {
        V20260728 => V20260728,
        V20251125 => V20251125,
        V20250618 => V20250618,
        V20250326 => V20250326,
        V20241105 => V20241105,
        _ => null,
    };
}

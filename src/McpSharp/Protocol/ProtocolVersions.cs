namespace McpSharp.Protocol;

/// <summary>The MCP protocol revisions this SDK speaks, and version negotiation (VER-SERVER-ECHO, VER-SERVER-ALT).</summary>
public static class ProtocolVersions
{
    /// <summary>Revision 2025-11-25, the latest session-based revision.</summary>
    public const string V20251125 = "2025-11-25";

    /// <summary>Revision 2025-06-18.</summary>
    public const string V20250618 = "2025-06-18";

    /// <summary>Revision 2025-03-26 (the last one that allows JSON-RPC batches).</summary>
    public const string V20250326 = "2025-03-26";

    /// <summary>Revision 2024-11-05.</summary>
    public const string V20241105 = "2024-11-05";

    /// <summary>The newest revision this SDK negotiates.</summary>
    public const string Latest = V20251125;

    /// <summary>
    /// The version assumed over HTTP when a request has no <c>MCP-Protocol-Version</c> header and nothing else tells
    /// (HTTP-PV-DEFAULT).
    /// </summary>
    public const string HttpDefault = V20250326;

    /// <summary>Every revision this SDK negotiates, newest first.</summary>
    public static IReadOnlyList<string> Supported { get; } = [V20251125, V20250618, V20250326, V20241105];

    /// <summary>True when <paramref name="version"/> is one of <see cref="Supported"/> (exact, ordinal).</summary>
    public static bool IsSupported(string? version) => version is not null && Canonical(version) is not null;

    /// <summary>
    /// The version a server answers to a client's <c>initialize</c>: the requested one when supported, otherwise the
    /// latest (the client then decides whether it can continue).
    /// </summary>
    public static string Negotiate(string? requested) => Canonical(requested) ?? Latest;

    /// <summary>True when the revision allows JSON-RPC batches (only 2025-03-26 does).</summary>
    public static bool AllowsBatches(string? version) => string.Equals(version, V20250326, StringComparison.Ordinal);

    /// <summary>True when the revision knows SSE priming events and <c>retry</c> polling (2025-11-25 and later).</summary>
    public static bool SupportsSsePolling(string? version) =>
        version is not null && string.CompareOrdinal(version, V20251125) >= 0;

    // Returns the interned constant so negotiated versions never hold on to request buffers.
    private static string? Canonical(string? version) => version switch
    {
        V20251125 => V20251125,
        V20250618 => V20250618,
        V20250326 => V20250326,
        V20241105 => V20241105,
        _ => null,
    };
}

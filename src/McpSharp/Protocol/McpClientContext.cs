namespace McpSharp.Protocol;

/// <summary>
/// What one request tells the server about its client: protocol version, client info and capabilities, log level and
/// trace context. Immutable. For a 2025-era session it is the session's negotiated state as it stood when the request
/// arrived; for a 2026-07-28 request (and a stateless 2025 POST) it is built from that request alone, so no client ever
/// sees another's settings (M26-META-NO-CONN-STATE). Handlers, capability gates and log filtering read only this.
/// </summary>
public sealed record McpClientContext
{
    private static readonly ClientCapabilities NoCapabilities = new();
    private static readonly Dictionary<string, McpClientContext> Stateless = ProtocolVersions.Handshake.ToDictionary(
        static v => v, static v => new McpClientContext { ProtocolVersion = v }, StringComparer.Ordinal);

    /// <summary>The protocol version the request is served under.</summary>
    public required string ProtocolVersion { get; init; }

    /// <summary>The client's name and version, when it said (self-reported: for display and logs only).</summary>
    public Implementation? ClientInfo { get; init; }

    /// <summary>The capabilities the client declared (for this request, in 2026-07-28); empty when none.</summary>
    public ClientCapabilities Capabilities { get; init; } = NoCapabilities;

    /// <summary>
    /// The lowest log level the client asked for: set with <c>logging/setLevel</c> (2025) or per request in
    /// <c>_meta</c> (2026-07-28). See <see cref="ShouldLog"/> for what null means in each era.
    /// </summary>
    public LoggingLevel? LogLevel { get; init; }

    /// <summary>True when the request carried its own version and capabilities (revision 2026-07-28 and later).</summary>
    public bool IsPerRequest { get; init; }

    /// <summary>
    /// Who the transport authenticated (HTTP: the user a session or a <c>requestState</c> is bound to), or null. Set by
    /// the transport, never from anything the client says about itself.
    /// </summary>
    public string? Principal { get; init; }

    /// <summary>W3C <c>traceparent</c> from the request's <c>_meta</c>, if any.</summary>
    public string? TraceParent { get; init; }

    /// <summary>W3C <c>tracestate</c> from the request's <c>_meta</c>, if any.</summary>
    public string? TraceState { get; init; }

    /// <summary>W3C <c>baggage</c> from the request's <c>_meta</c>, if any.</summary>
    public string? Baggage { get; init; }

    /// <summary>
    /// Whether a log message of <paramref name="level"/> may be sent for this request: in a 2025 session, every level
    /// until the client sets one; in 2026-07-28, none unless the request asked for a level (M26-META-LOGLEVEL).
    /// </summary>
    public bool ShouldLog(LoggingLevel level) => LogLevel is { } min ? level >= min : !IsPerRequest;

    /// <summary>
    /// The context of a stateless 2025 request, which carries nothing but its <c>MCP-Protocol-Version</c>: no client
    /// info, no capabilities, no log level. Shared instances: nothing in them can change.
    /// </summary>
    public static McpClientContext ForStatelessRequest(string? protocolVersion) =>
        Stateless.TryGetValue(protocolVersion ?? ProtocolVersions.HttpDefault, out var context) ? context : Stateless[ProtocolVersions.HttpDefault];
}

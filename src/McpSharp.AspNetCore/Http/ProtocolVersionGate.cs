using McpSharp.Protocol;
using McpSharp.Transports.Http;
using Microsoft.AspNetCore.Http;

namespace McpSharp.AspNetCore.Http;

/// <summary>
/// Step 8, <c>MCP-Protocol-Version</c> (HTTP-PV-400): present and not a supported revision -> 400 on every method;
/// absent -> the session's negotiated version. A different but supported version inside a session is accepted (the
/// official conformance suite sends 2025-03-26 inside a 2025-11-25 session).
/// </summary>
internal static class ProtocolVersionGate
{
    public static bool Allows(HttpRequest request, out string? version)
    {
        version = request.Headers[McpHttpHeaders.ProtocolVersion];
        return string.IsNullOrEmpty(version) ? (version = null) is null : ProtocolVersions.IsHandshake(version);
    }

    public static Task RejectAsync(HttpContext http, string? version, RequestId? requestId = null) =>
        HttpErrors.WriteAsync(http, StatusCodes.Status400BadRequest, McpErrorCodes.ServerError,
            $"Bad Request: Unsupported protocol version: {version} (supported versions: {string.Join(", ", ProtocolVersions.Handshake)})", requestId);
}

using McpSharp.JsonRpc;
using McpSharp.Protocol;

namespace McpSharp.Server;

/// <summary>
/// Which era a request is served in, on one connection. A transport that already knows (HTTP decides per request and
/// attaches the context) is taken at its word. Otherwise (stdio, in-memory) the first request that decides pins the
/// connection: <c>initialize</c> pins the handshake era, a request whose <c>_meta</c> claims a per-request version pins
/// 2026-07-28. A <c>server/discover</c> probe is answered without pinning, so a dual-era client can probe and then
/// still fall back to <c>initialize</c> (M26-STDIO-PROBE). Once pinned, the era does not change: a handshake
/// connection serves the 2025 rules (per-request <c>_meta</c> is just metadata), and <c>initialize</c> on a per-request
/// connection gets -32022 naming the versions it serves.
/// </summary>
internal sealed class SessionEra
{
    private const int Open = 0, Handshake = 1, PerRequest = 2;
    private int _era;

    /// <summary>
    /// The client context of <paramref name="request"/> (null for a handshake-era request before <c>initialize</c>),
    /// set on the request for its handler. Throws the JSON-RPC error for a malformed envelope or an unserved version.
    /// </summary>
    public McpClientContext? Resolve(McpSession session, JsonRpcRequest request)
    {
        if (request.Client is { } given)
        {
            return given;
        }

        int era = Volatile.Read(ref _era);
        if (era == Handshake || !RequestEnvelope.TryGetClaim(request, out _))
        {
            if (era == PerRequest && request.Method != McpMethods.Initialize)
            {
                throw new McpProtocolException(McpErrorCodes.InvalidParams, "Invalid params: this connection serves revision 2026-07-28, and every request must carry its _meta (protocol version and client capabilities).");
            }

            return session.Client;
        }

        var context = RequestEnvelope.Read(request, out var error) ?? throw error!.ToException();
        if (!ProtocolVersions.IsPerRequest(context.ProtocolVersion))
        {
            throw McpErrors.UnsupportedProtocolVersion(context.ProtocolVersion, ProtocolVersions.PerRequest).ToException();
        }

        if (request.Method != McpMethods.ServerDiscover)
        {
            Interlocked.CompareExchange(ref _era, PerRequest, Open);
        }

        request.Client = context;
        return context;
    }

    /// <summary>
    /// <c>initialize</c> pins the handshake era; on a connection already serving per-request revisions it is refused
    /// with -32022 naming them (M26-INIT-ERROR-NAMES-VERSIONS).
    /// </summary>
    public void OnInitialize()
    {
        if (Interlocked.CompareExchange(ref _era, Handshake, Open) == PerRequest)
        {
            throw McpErrors.UnsupportedProtocolVersion(
                ProtocolVersions.LatestHandshake,
                ProtocolVersions.PerRequest,
                $"This connection serves protocol revision {ProtocolVersions.V20260728} per request; initialize is not available on it.").ToException();
        }
    }
}

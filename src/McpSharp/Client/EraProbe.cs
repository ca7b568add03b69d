using System.Text.Json;
using McpSharp.JsonRpc;
using McpSharp.Protocol;

namespace McpSharp.Client;

/// <summary>
/// Finds out which era a server speaks by sending <c>server/discover</c> with the preferred per-request version
/// (M26-HTTP-BACKCOMPAT-CLIENT, M26-STDIO-PROBE). A <see cref="DiscoverResult"/> means per-request. -32022 names the
/// versions the server serves: a per-request one is tried once; only handshake ones mean <c>initialize</c> with the best
/// of them. -32020 or -32021 come from a per-request server, so the probe fails rather than falls back. Anything else (an
/// unknown method, a session error, a 4xx with no JSON-RPC error, a timeout) means a handshake server: the fallback
/// depends on no one error code. A server that cannot be reached at all, or that closed the connection, gave no
/// answer, and the probe fails with that error.
/// </summary>
internal static class EraProbe
{
    /// <summary>What the probe found: per-request with the discover result, or handshake with the version to offer.</summary>
    public sealed record Outcome(PerRequestMeta? Modern, DiscoverResult? Discover, string HandshakeVersion);

    public static async Task<Outcome> RunAsync(JsonRpcConnection connection, PerRequestMeta meta, IPerRequestTransport? http, ToolHeaderCatalog tools, TimeSpan timeout, bool mayFallBack, CancellationToken cancellationToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            http?.UsePerRequest(meta.ProtocolVersion, tools);
            long authorizations = http?.Authorizations ?? 0;
            try
            {
                var parameters = new DiscoverRequestParams();
                meta.Stamp(parameters);
                var payload = await connection.SendRequestAsync(McpMethods.ServerDiscover, JsonPayload.FromValue(parameters, McpJsonContext.Default.DiscoverRequestParams), null, timeout, cancellationToken).ConfigureAwait(false);
                return new Outcome(meta, McpClient.ReadResult(McpMethods.ServerDiscover, payload, McpJsonContext.Default.DiscoverResult), ProtocolVersions.LatestHandshake);
            }
            catch (McpProtocolException unsupported) when (unsupported.ErrorCode == McpErrorCodes.UnsupportedProtocolVersion)
            {
                var supported = SupportedOf(unsupported);
                string? modern = ProtocolVersions.PerRequest.FirstOrDefault(supported.Contains);
                if (modern is not null && attempt == 0)
                {
                    meta = meta.WithVersion(modern);
                    continue;
                }

                if (modern is not null)
                {
                    throw;
                }

                return Legacy(http, tools, ProtocolVersions.Handshake.FirstOrDefault(supported.Contains) ?? ProtocolVersions.LatestHandshake);
            }
            catch (McpProtocolException modern) when (modern.ErrorCode is McpErrorCodes.HeaderMismatch or McpErrorCodes.MissingRequiredClientCapability)
            {
                // A per-request server refused the probe itself: falling back to initialize would only hide the fault.
                throw;
            }
            catch (TimeoutException) when (http is not null && http.Authorizations != authorizations && !cancellationToken.IsCancellationRequested)
            {
                // The probe waited on an authorization (a user signing in takes longer than the probe's timeout): the
                // server's answer is still to come, so ask again with the token the flow ends with.
                attempt--;
                continue;
            }
            catch (Exception ex) when ((ex is McpProtocolException or IOException || (ex is TimeoutException && mayFallBack)) && !cancellationToken.IsCancellationRequested && !connection.Draining.IsCancellationRequested)
            {
                // (A connection that closed meanwhile, a stdio server that exited, is no answer either: that error stands.)
                return Legacy(http, tools, ProtocolVersions.LatestHandshake);
            }
        }
    }

    private static Outcome Legacy(IPerRequestTransport? http, ToolHeaderCatalog tools, string version)
    {
        http?.UsePerRequest(null, tools);
        return new Outcome(null, null, version);
    }

    private static HashSet<string> SupportedOf(McpProtocolException error)
    {
        try
        {
            var data = error.ErrorData is { } element ? element.Deserialize(McpJsonContext.Default.UnsupportedProtocolVersionData) : null;
            return data is null ? [] : new HashSet<string>(data.Supported, StringComparer.Ordinal);
        }
        catch (JsonException)
        {
            return [];
        }
    }
}

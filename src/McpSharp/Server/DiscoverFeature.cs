using McpSharp.JsonRpc;
using McpSharp.Protocol;

namespace McpSharp.Server;

/// <summary>
/// <c>server/discover</c> (2026-07-28, M26-DISCOVER-REQUIRED): the per-request versions served, the capabilities of
/// the handlers that exist now (M26-DISCOVER-CAPS-MATCH) and the instructions; server info and cache hints are added
/// on the way out (<see cref="ResultShaper"/>).
/// </summary>
internal static class DiscoverFeature
{
    public static JsonPayload Discover(McpServer server) => JsonPayload.FromValue(
        new DiscoverResult
        {
            SupportedVersions = [.. ProtocolVersions.PerRequest],
            Capabilities = server.PerRequestCapabilities,
            Instructions = server.Options.Instructions,
        },
        McpJsonContext.Default.DiscoverResult);
}

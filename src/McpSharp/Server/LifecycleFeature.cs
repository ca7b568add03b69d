using McpSharp.JsonRpc;
using McpSharp.Protocol;

namespace McpSharp.Server;

/// <summary><c>initialize</c>, <c>ping</c> and <c>logging/setLevel</c>.</summary>
internal static class LifecycleFeature
{
    public static JsonPayload Empty { get; } = JsonPayload.FromValue(EmptyResult.Instance, McpJsonContext.Default.EmptyResult);

    public static JsonPayload Initialize(McpSession session, JsonRpcRequest request)
    {
        if (session.HasInitialized && !session.IsStateless)
        {
            throw new McpProtocolException(McpErrorCodes.InvalidRequest, "Invalid Request: the session is already initialized.");
        }

        if (!session.IsStateless)
        {
            // The handshake era, for good (or -32022 on a connection already serving 2026-07-28).
            session.Era.OnInitialize();
        }

        var parameters = McpSessionHandler.ReadParams(request, McpJsonContext.Default.InitializeRequestParams);
        var server = session.Server;
        string version = ProtocolVersions.Negotiate(parameters.ProtocolVersion);
        var capabilities = server.BuildCapabilities();
        if (!session.IsStateless)
        {
            // A stateless initialize negotiates nothing that outlives its POST: the shared session stays as it is.
            session.OnInitialize(parameters, version, capabilities);
        }

        var result = new InitializeResult
        {
            ProtocolVersion = version,
            Capabilities = capabilities,
            ServerInfo = server.Options.ServerInfo,
            Instructions = server.Options.Instructions,
        };
        return JsonPayload.FromValue(result, McpJsonContext.Default.InitializeResult);
    }

    public static JsonPayload SetLevel(McpSession session, JsonRpcRequest request)
    {
        // An unknown level fails to deserialize: -32602 (LOG-ERRORS). In a stateless session the level lives no longer
        // than this POST: there is no later request of this client's to apply it to.
        var level = McpSessionHandler.ReadParams(request, McpJsonContext.Default.SetLevelRequestParams).Level;
        if (!session.IsStateless)
        {
            session.SetLogLevel(level);
        }

        return Empty;
    }
}

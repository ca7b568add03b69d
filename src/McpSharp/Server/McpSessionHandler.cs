using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using McpSharp.JsonRpc;
using McpSharp.Protocol;

namespace McpSharp.Server;

/// <summary>
/// Routes a session's requests to the feature handlers, after the lifecycle gate: nothing but <c>initialize</c> and
/// <c>ping</c> before <c>initialize</c> (LIFE-INIT-FIRST), and only the features the server declared (CAP-ONLY-NEGOTIATED).
/// </summary>
internal sealed class McpSessionHandler(McpSession session) : IJsonRpcHandler
{
    public bool MustHandleInOrder(JsonRpcRequest request) => request.Method == McpMethods.Initialize;

    public ValueTask<JsonPayload> HandleRequestAsync(JsonRpcRequest request, CancellationToken cancellationToken)
    {
        switch (request.Method)
        {
            case McpMethods.Initialize:
                return new(LifecycleFeature.Initialize(session, request));
            case McpMethods.Ping:
                return new(LifecycleFeature.Empty);
        }

        if (!session.HasInitialized)
        {
            // Room for revision 2026-07-28: a request that carries its own protocol version in _meta will be served
            // without a handshake; this gate is the only place that needs to learn it.
            throw new McpProtocolException(McpErrorCodes.InvalidRequest, "Invalid Request: the session is not initialized; send initialize first.");
        }

        var capabilities = session.ServerCapabilities!;
        return request.Method switch
        {
            McpMethods.ToolsList when capabilities.Tools is not null => new(ToolsFeature.List(session, request)),
            McpMethods.ToolsCall when capabilities.Tools is not null => ToolsFeature.CallAsync(session, request, cancellationToken),
            McpMethods.ResourcesList when capabilities.Resources is not null => new(ResourcesFeature.List(session, request)),
            McpMethods.ResourcesTemplatesList when capabilities.Resources is not null => new(ResourcesFeature.ListTemplates(session, request)),
            McpMethods.ResourcesRead when capabilities.Resources is not null => ResourcesFeature.ReadAsync(session, request, cancellationToken),
            McpMethods.ResourcesSubscribe when capabilities.Resources?.Subscribe == true => new(ResourcesFeature.Subscribe(session, request)),
            McpMethods.ResourcesUnsubscribe when capabilities.Resources?.Subscribe == true => new(ResourcesFeature.Unsubscribe(session, request)),
            McpMethods.PromptsList when capabilities.Prompts is not null => new(PromptsFeature.List(session, request)),
            McpMethods.PromptsGet when capabilities.Prompts is not null => PromptsFeature.GetAsync(session, request, cancellationToken),
            McpMethods.CompletionComplete when capabilities.Completions is not null => CompletionFeature.CompleteAsync(session, request, cancellationToken),
            McpMethods.LoggingSetLevel => new(LifecycleFeature.SetLevel(session, request)),
            _ => throw new McpProtocolException(McpErrorCodes.MethodNotFound, $"Method not found: {request.Method}"),
        };
    }

    public ValueTask HandleNotificationAsync(JsonRpcNotification notification, CancellationToken cancellationToken)
    {
        switch (notification.Method)
        {
            case McpMethods.NotificationsInitialized:
                session.OnInitialized();
                break;
            case McpMethods.NotificationsRootsListChanged:
                session.OnRootsListChanged();
                break;
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Reads required parameters; a mismatch is -32602 (never -32603).</summary>
    internal static T ReadParams<T>(JsonRpcRequest request, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        try
        {
            return request.Params.Deserialize(typeInfo) ?? throw new McpProtocolException(McpErrorCodes.InvalidParams, $"Invalid params: '{request.Method}' requires params.");
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw new McpProtocolException(McpErrorCodes.InvalidParams, "Invalid params: " + ex.Message, ex);
        }
    }

    /// <summary>Reads optional paginated-list parameters.</summary>
    internal static string? ReadCursor(JsonRpcRequest request) =>
        request.Params.IsNone ? null : ReadParams(request, McpJsonContext.Default.PaginatedRequestParams).Cursor;
}

using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using McpSharp.JsonRpc;
using McpSharp.Protocol;

namespace McpSharp.Server;

/// <summary>
/// Routes a session's requests to the feature handlers, in the request's era (<see cref="SessionEra"/>). Up to
/// 2025-11-25: the lifecycle gate first (nothing but <c>initialize</c> and <c>ping</c> before <c>initialize</c>,
/// LIFE-INIT-FIRST), then only the features the server declared (CAP-ONLY-NEGOTIATED). In 2026-07-28: no lifecycle,
/// <c>server/discover</c> and <c>subscriptions/listen</c>, -32601 for removed methods, results shaped for the era.
/// </summary>
internal sealed class McpSessionHandler(McpSession session) : IJsonRpcHandler
{
    public bool MustHandleInOrder(JsonRpcRequest request) => request.Method == McpMethods.Initialize;

    public ValueTask<JsonPayload> HandleRequestAsync(JsonRpcRequest request, CancellationToken cancellationToken) =>
        session.Era.Resolve(session, request) is { IsPerRequest: true }
            ? HandlePerRequestAsync(request, cancellationToken)
            : HandleHandshakeEraAsync(request, cancellationToken);

    // Revisions up to 2025-11-25: the session's lifecycle and negotiated capabilities.
    private ValueTask<JsonPayload> HandleHandshakeEraAsync(JsonRpcRequest request, CancellationToken cancellationToken)
    {
        switch (request.Method)
        {
            case McpMethods.Initialize:
                return Persisting(LifecycleFeature.Initialize(session, request), cancellationToken);
            case McpMethods.Ping:
                return new(LifecycleFeature.Empty);
        }

        if (!session.HasInitialized)
        {
            throw new McpProtocolException(McpErrorCodes.InvalidRequest, "Invalid Request: the session is not initialized; send initialize first.");
        }

        var capabilities = session.ServerCapabilities!;
        return request.Method switch
        {
            McpMethods.ResourcesSubscribe when capabilities.Resources?.Subscribe == true => Persisting(ResourcesFeature.Subscribe(session, request), cancellationToken),
            McpMethods.ResourcesUnsubscribe when capabilities.Resources?.Subscribe == true => Persisting(ResourcesFeature.Unsubscribe(session, request), cancellationToken),
            McpMethods.LoggingSetLevel => Persisting(LifecycleFeature.SetLevel(session, request), cancellationToken),
            _ => Features(request, capabilities, cancellationToken),
        };
    }

    // Revision 2026-07-28: no lifecycle, the server's current capabilities, and results shaped for the era
    // (resultType, serverInfo, cache hints). Methods the revision removed are unknown (M26-HTTP-404).
    private ValueTask<JsonPayload> HandlePerRequestAsync(JsonRpcRequest request, CancellationToken cancellationToken)
    {
        var server = session.Server;
        return Shape(request.Method switch
        {
            McpMethods.ServerDiscover => new(DiscoverFeature.Discover(server)),
            McpMethods.SubscriptionsListen => ListenFeature.ListenAsync(session, request, cancellationToken),
            McpTasks.Get or McpTasks.Update or McpTasks.Cancel => TasksFeature.HandleAsync(session, request, cancellationToken),
            McpMethods.Initialize or McpMethods.Ping or McpMethods.LoggingSetLevel or McpMethods.ResourcesSubscribe or McpMethods.ResourcesUnsubscribe
                => throw new McpProtocolException(McpErrorCodes.MethodNotFound, $"Method not found: {request.Method} is not part of protocol revision 2026-07-28 ({RemovedHint(request.Method)})."),
            _ => Features(request, server.Capabilities, cancellationToken),
        }, request.Method);
    }

    // A request that changed the session's state is answered once the state is stored (see McpSessionOptions.StateChanged).
    private ValueTask<JsonPayload> Persisting(JsonPayload result, CancellationToken cancellationToken)
    {
        var persisted = session.PersistStateAsync(cancellationToken);
        return persisted.IsCompletedSuccessfully ? new(result) : AfterAsync(persisted, result);

        static async ValueTask<JsonPayload> AfterAsync(ValueTask persisted, JsonPayload result)
        {
            await persisted.ConfigureAwait(false);
            return result;
        }
    }

    private ValueTask<JsonPayload> Shape(ValueTask<JsonPayload> result, string method) =>
        result.IsCompletedSuccessfully ? new(session.Server.Shaper.Shape(result.Result, method)) : ShapeAsync(result, method);

    private async ValueTask<JsonPayload> ShapeAsync(ValueTask<JsonPayload> result, string method) =>
        session.Server.Shaper.Shape(await result.ConfigureAwait(false), method);

    // The features both eras share, behind the capabilities the client may use.
    private ValueTask<JsonPayload> Features(JsonRpcRequest request, ServerCapabilities capabilities, CancellationToken cancellationToken) => request.Method switch
    {
        McpMethods.ToolsList when capabilities.Tools is not null => new(ToolsFeature.List(session, request)),
        McpMethods.ToolsCall when capabilities.Tools is not null => ToolsFeature.CallAsync(session, request, cancellationToken),
        McpMethods.ResourcesList when capabilities.Resources is not null => new(ResourcesFeature.List(session, request)),
        McpMethods.ResourcesTemplatesList when capabilities.Resources is not null => new(ResourcesFeature.ListTemplates(session, request)),
        McpMethods.ResourcesRead when capabilities.Resources is not null => ResourcesFeature.ReadAsync(session, request, cancellationToken),
        McpMethods.PromptsList when capabilities.Prompts is not null => new(PromptsFeature.List(session, request)),
        McpMethods.PromptsGet when capabilities.Prompts is not null => PromptsFeature.GetAsync(session, request, cancellationToken),
        McpMethods.CompletionComplete when capabilities.Completions is not null => CompletionFeature.CompleteAsync(session, request, cancellationToken),
        _ => throw MethodNotFound(request.Method),
    };

    private static McpProtocolException MethodNotFound(string method) => new(McpErrorCodes.MethodNotFound, $"Method not found: {method}");

    private static string RemovedHint(string method) => method switch
    {
        McpMethods.Initialize => "every request carries its version and capabilities in _meta; server/discover describes the server",
        McpMethods.Ping => "there is no connection to keep alive",
        McpMethods.LoggingSetLevel => "set io.modelcontextprotocol/logLevel in each request's _meta",
        _ => "use subscriptions/listen with resourceSubscriptions",
    };

    public ValueTask HandleNotificationAsync(JsonRpcNotification notification, CancellationToken cancellationToken)
    {
        switch (notification.Method)
        {
            case McpMethods.NotificationsInitialized:
                session.OnInitialized();
                return session.PersistStateAsync(cancellationToken);
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

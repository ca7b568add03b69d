using System.Text.Json.Nodes;
using McpSharp.JsonRpc;
using McpSharp.Protocol;

namespace McpSharp.Server;

/// <summary>
/// <c>tasks/get</c>, <c>tasks/update</c> and <c>tasks/cancel</c> (the tasks extension, 2026-07-28). A request that did
/// not declare the extension is refused first (-32021 naming it), before any task is looked up; an unknown or expired
/// task, or another principal's, is -32602. Updates and cancellations are acknowledged with an empty result.
/// </summary>
internal static class TasksFeature
{
    public static JsonPayload Handle(McpSession session, JsonRpcRequest request)
    {
        var client = session.ClientFor(request);
        if (!McpTasks.IsDeclared(client.Capabilities))
        {
            throw ExtensionRequired();
        }

        var store = session.Server.TaskStore;
        if (request.Method == McpTasks.Update)
        {
            var update = McpSessionHandler.ReadParams(request, McpJsonContext.Default.UpdateTaskRequestParams);
            Find(store, update.TaskId, client.Principal).Answer(update.InputResponses);
            return LifecycleFeature.Empty;
        }

        var parameters = McpSessionHandler.ReadParams(request, McpJsonContext.Default.TaskRequestParams);
        var task = Find(store, parameters.TaskId, client.Principal);
        if (request.Method == McpTasks.Cancel)
        {
            // Cooperative: the handler's token fires and the task ends when it does (a finished task stays as it is).
            task.Cancel();
            return LifecycleFeature.Empty;
        }

        return JsonPayload.FromValue(task.Details(), McpJsonContext.Default.McpTaskDetails);
    }

    /// <summary>-32021: the request needs the tasks extension, which it did not declare.</summary>
    public static McpProtocolException ExtensionRequired() =>
        McpErrors.MissingRequiredClientCapability(
            new ClientCapabilities { Extensions = new JsonObject { [McpTasks.ExtensionId] = new JsonObject() } },
            "extensions." + McpTasks.ExtensionId).ToException();

    private static McpToolTask Find(McpTaskStore store, string taskId, string? owner) =>
        store.Find(taskId, owner) ?? throw new McpProtocolException(McpErrorCodes.InvalidParams, $"Invalid params: no task '{taskId}' (unknown, or expired).");
}

using System.Text.Json.Nodes;
using McpSharp.JsonRpc;
using McpSharp.Protocol;

namespace McpSharp.Server;

/// <summary>
/// <c>tasks/get</c>, <c>tasks/update</c> and <c>tasks/cancel</c> (the tasks extension, 2026-07-28), answered from the
/// task store, so by any node that shares it. A request that did not declare the extension is refused first (-32021
/// naming it), before any task is looked up; an unknown or expired task, or another principal's, is -32602. Updates and
/// cancellations are acknowledged with an empty result.
/// </summary>
internal static class TasksFeature
{
    public static async ValueTask<JsonPayload> HandleAsync(McpSession session, JsonRpcRequest request, CancellationToken cancellationToken)
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
            await FindAsync(store, update.TaskId, client.Principal, cancellationToken).ConfigureAwait(false);
            if (update.InputResponses is { } answers && !await store.AnswerAsync(update.TaskId, answers, cancellationToken).ConfigureAwait(false))
            {
                throw Unknown(update.TaskId);
            }

            return LifecycleFeature.Empty;
        }

        var parameters = McpSessionHandler.ReadParams(request, McpJsonContext.Default.TaskRequestParams);
        var task = await FindAsync(store, parameters.TaskId, client.Principal, cancellationToken).ConfigureAwait(false);
        if (request.Method == McpTasks.Cancel)
        {
            // Cooperative: the handler's token fires and the task ends when it does (a finished task stays as it is).
            if (!McpTaskStatus.IsTerminal(task.Status) && !await store.CancelAsync(task.TaskId, cancellationToken).ConfigureAwait(false))
            {
                throw Unknown(task.TaskId);
            }

            return LifecycleFeature.Empty;
        }

        return JsonPayload.FromValue(task.Details(), McpJsonContext.Default.McpTaskDetails);
    }

    /// <summary>-32021: the request needs the tasks extension, which it did not declare.</summary>
    public static McpProtocolException ExtensionRequired() =>
        McpErrors.MissingRequiredClientCapability(
            new ClientCapabilities { Extensions = new JsonObject { [McpTasks.ExtensionId] = new JsonObject() } },
            "extensions." + McpTasks.ExtensionId).ToException();

    // Unknown, expired and another principal's look the same, so nobody learns that someone else's task exists.
    private static async ValueTask<McpTaskRecord> FindAsync(IMcpTaskStore store, string taskId, string? owner, CancellationToken cancellationToken) =>
        await store.GetAsync(taskId, cancellationToken).ConfigureAwait(false) is { } task && string.Equals(task.Owner, owner, StringComparison.Ordinal)
            ? task
            : throw Unknown(taskId);

    private static McpProtocolException Unknown(string taskId) =>
        new(McpErrorCodes.InvalidParams, $"Invalid params: no task '{taskId}' (unknown, or expired).");
}

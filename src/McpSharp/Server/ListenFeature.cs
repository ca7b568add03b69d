using McpSharp.JsonRpc;
using McpSharp.Protocol;

namespace McpSharp.Server;

/// <summary>
/// <c>subscriptions/listen</c> (2026-07-28, M26-SUB-*): the acknowledgement with the honoured filter first, then the
/// opted-in change notifications, until the client ends it (closes the HTTP stream, or <c>notifications/cancelled</c>
/// on stdio: no response then) or the server tears it down (the closing result, tagged like everything else).
/// </summary>
internal static class ListenFeature
{
    public static async ValueTask<JsonPayload> ListenAsync(McpSession session, JsonRpcRequest request, CancellationToken cancellationToken)
    {
        var parameters = McpSessionHandler.ReadParams(request, McpJsonContext.Default.SubscriptionsListenRequestParams);
        var server = session.Server;
        var filter = Honoured(parameters.Notifications, server.Capabilities, uri => AccessGate.AllowsUri(server, request, uri));
        filter.TaskIds = await HonouredTasksAsync(session, request, parameters.Notifications.TaskIds, cancellationToken).ConfigureAwait(false);
        var listener = new Subscriptions.Listener(session, request.Id, filter, request.Route);
        server.Subscriptions.Add(listener);
        try
        {
            await listener.AcknowledgeAsync(cancellationToken).ConfigureAwait(false);
            foreach (var taskId in filter.TaskIds ?? [])
            {
                // Each task's state as it is now, so that a change made before the stream opened is not missed.
                listener.PostTask(taskId, server.TaskStore);
            }

            // The server's teardown, or a connection that is closing (a stdio client closed its input): nobody is left
            // to listen, so the subscription does not hold the connection's shutdown for its grace period.
            using var ended = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, server.Subscriptions.Closing, session.Draining);
            try
            {
                await Task.Delay(Timeout.Infinite, ended.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The server ends the subscription (M26-SUB-CLOSE): the closing result follows.
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (request.Route is null)
            {
                // On stdio the teardown is also announced with notifications/cancelled for the listen request
                // (cancellation.mdx); it goes out just before the closing result, which follows at once.
                var cancelled = new CancelledNotificationParams { RequestId = request.Id, Reason = "The server ended the subscription." };
                await session.TrySendNotificationAsync(McpMethods.NotificationsCancelled, JsonPayload.FromValue(cancelled, McpJsonContext.Default.CancelledNotificationParams), null).ConfigureAwait(false);
            }

            return listener.ClosingResult();
        }
        finally
        {
            server.Subscriptions.Remove(listener);
        }
    }

    // The tasks extension: notifications/tasks for the tasks asked for that exist and are the requester's (the others are
    // left out of the acknowledgement, so it tells nothing of other principals' tasks), at most MaxTasksPerListen. Asking
    // without declaring the extension is -32021.
    private static async ValueTask<List<string>?> HonouredTasksAsync(McpSession session, JsonRpcRequest request, IList<string>? requested, CancellationToken cancellationToken)
    {
        if (requested is not { Count: > 0 })
        {
            return null;
        }

        var client = session.ClientFor(request);
        if (!McpTasks.IsDeclared(client.Capabilities))
        {
            throw TasksFeature.ExtensionRequired();
        }

        var store = session.Server.TaskStore;
        var honoured = new List<string>();
        foreach (var taskId in requested.Distinct(StringComparer.Ordinal).Take(session.Server.Options.Tasks.MaxTasksPerListen))
        {
            if (await store.GetAsync(taskId, cancellationToken).ConfigureAwait(false) is { } task && string.Equals(task.Owner, client.Principal, StringComparison.Ordinal))
            {
                honoured.Add(taskId);
            }
        }

        return honoured.Count > 0 ? honoured : null;
    }

    // M26-SUB-ACK-FIRST: only what the server can honour, and resources the caller may use; the rest is left out of the
    // acknowledgement.
    private static SubscriptionFilter Honoured(SubscriptionFilter requested, ServerCapabilities capabilities, Func<string, bool> mayUse) => new()
    {
        ToolsListChanged = requested.ToolsListChanged == true && capabilities.Tools?.ListChanged == true ? true : null,
        PromptsListChanged = requested.PromptsListChanged == true && capabilities.Prompts?.ListChanged == true ? true : null,
        ResourcesListChanged = requested.ResourcesListChanged == true && capabilities.Resources?.ListChanged == true ? true : null,
        ResourceSubscriptions = requested.ResourceSubscriptions is { Count: > 0 } uris && capabilities.Resources?.Subscribe == true && uris.Where(mayUse).ToList() is { Count: > 0 } allowed ? allowed : null,
    };
}

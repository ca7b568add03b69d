using McpSharp.JsonRpc;
using McpSharp.Protocol;

namespace McpSharp.Client;

/// <summary>
/// Follows a <c>tools/call</c> the server answered with a task (the tasks extension) to its end: <c>tasks/get</c> at
/// the interval the server suggests (within 50 ms to 30 s; 1 s when it suggests none), each input request answered
/// once with the application's handlers and sent with <c>tasks/update</c>, the result returned, a failure thrown as its
/// JSON-RPC error; when the caller cancels a call it made, <c>tasks/cancel</c> asks the server to stop the task too (a
/// caller holding the task's handle only stops waiting).
/// </summary>
internal static class TaskFollower
{
    private static readonly TimeSpan CancelTimeout = TimeSpan.FromSeconds(10);

    public static async Task<JsonPayload> FollowAsync(PerRequestSender sender, TimeProvider time, string id, long? pollIntervalMs, bool cancelTaskOnGiveUp, CancellationToken cancellationToken)
    {
        var answered = new HashSet<string>(StringComparer.Ordinal);
        var interval = Interval(pollIntervalMs);
        try
        {
            while (true)
            {
                var task = McpClient.ReadResult(McpTasks.Get, await sender.SendTaskRequestAsync(McpTasks.Get, new TaskRequestParams { TaskId = id }, McpJsonContext.Default.TaskRequestParams, null, cancellationToken).ConfigureAwait(false), McpJsonContext.Default.McpTaskDetails);
                switch (task.Status)
                {
                    case McpTaskStatus.Completed:
                        return JsonPayload.FromValue(task.Result ?? new CallToolResult(), McpJsonContext.Default.CallToolResult);
                    case McpTaskStatus.Failed:
                        var error = task.Error ?? new JsonRpcError(McpErrorCodes.InternalError, "Internal error: the task failed and the server gave no error.");
                        throw new McpProtocolException(error.Code, error.Message, error.Data);
                    case McpTaskStatus.Cancelled:
                        throw new OperationCanceledException($"The server cancelled task '{id}'.");
                    case McpTaskStatus.InputRequired when task.InputRequests?.Where(r => !answered.Contains(r.Key)).ToDictionary(StringComparer.Ordinal) is { Count: > 0 } fresh:
                        // Each key once: the server drops answered keys, and one may still show before it has.
                        var answers = await sender.AnswerAsync(fresh, cancellationToken).ConfigureAwait(false);
                        answered.UnionWith(answers.Keys);
                        await sender.SendTaskRequestAsync(McpTasks.Update, new UpdateTaskRequestParams { TaskId = id, InputResponses = answers }, McpJsonContext.Default.UpdateTaskRequestParams, null, cancellationToken).ConfigureAwait(false);
                        continue;
                }

                interval = Interval(task.PollIntervalMs ?? (long)interval.TotalMilliseconds);
                await Task.Delay(interval, time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && cancelTaskOnGiveUp)
        {
            await TryCancelAsync(sender, id).ConfigureAwait(false);
            throw;
        }
    }

    // The caller gave up: the task should not run on for nobody. Best effort, bounded: the caller's cancellation stands.
    private static async Task TryCancelAsync(PerRequestSender sender, string id)
    {
        try
        {
            await sender.SendTaskRequestAsync(McpTasks.Cancel, new TaskRequestParams { TaskId = id }, McpJsonContext.Default.TaskRequestParams, CancelTimeout, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is McpProtocolException or IOException or OperationCanceledException or TimeoutException)
        {
        }
    }

    private static TimeSpan Interval(long? milliseconds) =>
        TimeSpan.FromMilliseconds(Math.Clamp(milliseconds ?? 1000, 50, 30_000));
}

using System.Text.Json;
using McpSharp.Protocol;

namespace McpSharp.Client;

/// <summary>
/// A task on the server (the tasks extension), by its id: read its status, answer the input it waits for, cancel it,
/// or wait for its result. Holding a handle keeps nothing open; a task lives on the server until its time to live ends.
/// </summary>
public sealed class McpTaskHandle
{
    private readonly PerRequestSender _sender;
    private readonly TimeProvider _time;
    private readonly long? _pollIntervalMs;

    internal McpTaskHandle(PerRequestSender sender, TimeProvider time, string taskId, long? pollIntervalMs)
    {
        _sender = sender;
        _time = time;
        _pollIntervalMs = pollIntervalMs;
        TaskId = taskId;
    }

    /// <summary>The task's id.</summary>
    public string TaskId { get; }

    /// <summary>
    /// One <c>tasks/get</c>: the status and what it calls for (the input requests while <c>input_required</c>, the
    /// result once <c>completed</c>, the error once <c>failed</c>).
    /// </summary>
    /// <exception cref="McpProtocolException">-32602 when the task is unknown, expired, or another principal's.</exception>
    public async Task<McpTaskDetails> GetAsync(CancellationToken cancellationToken = default) =>
        McpClient.ReadResult(McpTasks.Get, await _sender.SendTaskRequestAsync(McpTasks.Get, new TaskRequestParams { TaskId = TaskId }, McpJsonContext.Default.TaskRequestParams, null, cancellationToken).ConfigureAwait(false), McpJsonContext.Default.McpTaskDetails);

    /// <summary>
    /// <c>tasks/update</c>: answers input requests of the task by key (an answer is what the request's method returns,
    /// e.g. an <see cref="ElicitResult"/> for <c>elicitation/create</c>). Keys the task no longer waits for are ignored.
    /// </summary>
    public async Task UpdateAsync(IReadOnlyDictionary<string, JsonElement> inputResponses, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputResponses);
        var parameters = new UpdateTaskRequestParams { TaskId = TaskId, InputResponses = new Dictionary<string, JsonElement>(inputResponses, StringComparer.Ordinal) };
        await _sender.SendTaskRequestAsync(McpTasks.Update, parameters, McpJsonContext.Default.UpdateTaskRequestParams, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>tasks/cancel</c>: asks the server to stop the task; it ends <c>cancelled</c> when its handler stops.</summary>
    public async Task CancelAsync(CancellationToken cancellationToken = default) =>
        await _sender.SendTaskRequestAsync(McpTasks.Cancel, new TaskRequestParams { TaskId = TaskId }, McpJsonContext.Default.TaskRequestParams, null, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Follows the task to its end, as <see cref="McpClient.CallToolAsync"/> does: polls at the interval the server
    /// suggests, answers its input requests with this client's handlers, and returns the result.
    /// <paramref name="cancellationToken"/> only stops waiting: the task goes on (see <see cref="CancelAsync"/>).
    /// </summary>
    /// <exception cref="McpProtocolException">The task failed: its error.</exception>
    /// <exception cref="OperationCanceledException">The task was cancelled, or the wait.</exception>
    public async Task<CallToolResult> WaitAsync(CancellationToken cancellationToken = default) =>
        McpClient.ReadResult(McpMethods.ToolsCall, await TaskFollower.FollowAsync(_sender, _time, TaskId, _pollIntervalMs, cancelTaskOnGiveUp: false, cancellationToken).ConfigureAwait(false), McpJsonContext.Default.CallToolResult);
}

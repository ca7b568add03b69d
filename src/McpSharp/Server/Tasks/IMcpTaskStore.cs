using System.Text.Json;
using McpSharp.JsonRpc;
using McpSharp.Protocol;

namespace McpSharp.Server;

/// <summary>
/// Where tasks (the tasks extension) are kept: their state, for whichever node a <c>tasks/get</c> reaches, and the way
/// to the node that runs each one, for the answers of <c>tasks/update</c> and the stop of <c>tasks/cancel</c>. The
/// default, <see cref="InMemoryTaskStore"/>, keeps them in this process; a shared one (<c>McpSharp.Redis</c>) lets any
/// node of a cluster serve any task. Set it with <see cref="McpTaskOptions.Store"/>.
/// </summary>
/// <remarks>
/// Only the node that created a task changes its status through <see cref="AskAsync"/> and <see cref="FinishAsync"/>;
/// any node may read it, answer it or cancel it. Each operation is atomic: an answer can never be lost between a
/// question being recorded and another one being answered. A store forgets a task at
/// <see cref="McpTaskRecord.ExpiresAt"/>; what happens to a handler still running then is its node's business.
/// </remarks>
public interface IMcpTaskStore
{
    /// <summary>
    /// Records a new task (status <c>working</c>), run in this process: <paramref name="inbox"/> gets what other
    /// requests send it until the task is finished. False when the store is full (only running tasks are left, none
    /// that may make room).
    /// </summary>
    ValueTask<bool> CreateAsync(McpTaskRecord task, IMcpTaskInbox inbox, CancellationToken cancellationToken);

    /// <summary>The task as it stands, or null when it is unknown or expired.</summary>
    ValueTask<McpTaskRecord?> GetAsync(string taskId, CancellationToken cancellationToken);

    /// <summary>
    /// Records that the task waits for input under <paramref name="key"/>: it is <c>input_required</c> until every
    /// outstanding key is answered.
    /// </summary>
    ValueTask AskAsync(string taskId, string key, InputRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Takes the answers of a <c>tasks/update</c>: each outstanding key answered stops being outstanding at once (the task
    /// is <c>working</c> again when none is left) and its answer goes to the task's inbox, wherever it runs; unknown or
    /// already answered keys are ignored. False when the task is unknown or expired.
    /// </summary>
    ValueTask<bool> AnswerAsync(string taskId, IReadOnlyDictionary<string, JsonElement> answers, CancellationToken cancellationToken);

    /// <summary>
    /// Passes a <c>tasks/cancel</c> to the task's inbox, wherever it runs, unless it is finished. False when the task is
    /// unknown or expired.
    /// </summary>
    ValueTask<bool> CancelAsync(string taskId, CancellationToken cancellationToken);

    /// <summary>
    /// Records how the task ended (<see cref="McpTaskStatus.Completed"/> with a result, <see cref="McpTaskStatus.Failed"/>
    /// with <paramref name="failure"/>, or <see cref="McpTaskStatus.Cancelled"/>), for good: a finished task never changes again. Its
    /// inbox gets nothing more.
    /// </summary>
    ValueTask FinishAsync(string taskId, string status, CallToolResult? result, JsonRpcError? failure, CancellationToken cancellationToken);

    /// <summary>
    /// Raised with a task's id when what <c>tasks/get</c> shows of it changed (a question asked or answered, its end), by
    /// whichever node changed it: a store shared by nodes raises it on each of them. It may come late or twice; readers
    /// take the task's state from <see cref="GetAsync"/>.
    /// </summary>
    event EventHandler<string>? TaskChanged;
}

/// <summary>What a task's running handler receives from requests that may reach any node.</summary>
public interface IMcpTaskInbox
{
    /// <summary>Answers from <c>tasks/update</c> to input the task asked for, by key (each key once).</summary>
    void Answered(IReadOnlyDictionary<string, JsonElement> answers);

    /// <summary>A <c>tasks/cancel</c> reached the task: its handler's cancellation token fires.</summary>
    void CancelRequested();
}

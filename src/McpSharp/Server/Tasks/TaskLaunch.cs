using McpSharp.Protocol;

namespace McpSharp.Server;

/// <summary>
/// A <c>tools/call</c> that may become a task: the tool supports tasks and this request declared the extension. The
/// handler runs on a cancellation token of its own, tied to the request only until it starts the task
/// (<see cref="McpRequestContext.StartTaskAsync"/>); from then on only <c>tasks/cancel</c> (or the task's expiry)
/// stops it, and the call is answered with the task's handle at once.
/// </summary>
internal sealed class TaskLaunch : IDisposable
{
    private readonly McpTaskStore _store;
    private readonly string? _owner;
    private readonly CancellationTokenSource _cancellation;
    private readonly CancellationTokenRegistration _requestLink;
    private readonly TaskCompletionSource<McpToolTask> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskLaunch(McpTaskStore store, string? owner, CancellationToken request)
    {
        _store = store;
        _owner = owner;
        _cancellation = new CancellationTokenSource();
        _requestLink = request.Register(static c => ((CancellationTokenSource)c!).Cancel(), _cancellation);
    }

    /// <summary>The handler's token.</summary>
    public CancellationToken Token => _cancellation.Token;

    /// <summary>Completes when the handler started the task.</summary>
    public Task<McpToolTask> Started => _started.Task;

    /// <summary>Creates the task (before the call is answered, so a <c>tasks/get</c> right after it finds it).</summary>
    public McpToolTask Start()
    {
        var task = _store.TryCreate(_cancellation, _owner)
            ?? throw new McpProtocolException(McpErrorCodes.InternalError, "Internal error: the server keeps as many tasks as it may; try again later.");
        _requestLink.Dispose();
        _started.TrySetResult(task);
        return task;
    }

    /// <summary>For a call that ended without becoming a task.</summary>
    public void Dispose()
    {
        if (!_started.Task.IsCompleted)
        {
            _requestLink.Dispose();
            _cancellation.Dispose();
        }
    }
}

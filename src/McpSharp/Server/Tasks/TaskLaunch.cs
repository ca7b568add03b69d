using System.Buffers.Text;
using System.Security.Cryptography;
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
    private readonly McpServer _server;
    private readonly string? _owner;
    private readonly CancellationTokenSource _cancellation;
    private readonly CancellationTokenRegistration _requestLink;
    private readonly TaskCompletionSource<McpToolTask> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskLaunch(McpServer server, string? owner, CancellationToken request)
    {
        _server = server;
        _owner = owner;
        _cancellation = new CancellationTokenSource();
        _requestLink = request.Register(static c => ((CancellationTokenSource)c!).Cancel(), _cancellation);
    }

    /// <summary>The handler's token.</summary>
    public CancellationToken Token => _cancellation.Token;

    /// <summary>Completes when the handler started the task.</summary>
    public Task<McpToolTask> Started => _started.Task;

    /// <summary>Creates the task in the store (before the call is answered, so a <c>tasks/get</c> right after it finds it).</summary>
    public async ValueTask<McpToolTask> StartAsync()
    {
        var options = _server.Options.Tasks;
        var now = _server.TimeProvider.GetUtcNow();
        var record = new McpTaskRecord
        {
            TaskId = NewId(),
            Owner = _owner,
            CreatedAt = now,
            LastUpdatedAt = now,
            TimeToLive = options.TimeToLive,
            PollInterval = options.PollInterval,
        };
        var task = new McpToolTask(record, _server.TaskStore, _cancellation, _server.Logger);
        if (!await _server.TaskStore.CreateAsync(record, task, CancellationToken.None).ConfigureAwait(false))
        {
            throw new McpProtocolException(McpErrorCodes.InternalError, "Internal error: the server keeps as many tasks as it may; try again later.");
        }

        task.StartExpiry(_server.TimeProvider);
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

    private static string NewId()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return Base64Url.EncodeToString(bytes);
    }
}

using System.Text.Json;
using McpSharp.JsonRpc;
using McpSharp.Protocol;

namespace McpSharp.Server;

/// <summary>
/// The default <see cref="IMcpTaskStore"/>: the tasks of this process, bounded, each forgotten at its expiry. At the
/// limit the task that finished first makes room; running tasks are never evicted. Share one instance between servers
/// of a process to let any of them serve any task; for several processes use a shared store (<c>McpSharp.Redis</c>).
/// </summary>
public sealed class InMemoryTaskStore : IMcpTaskStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _tasks = new(StringComparer.Ordinal);
    private readonly PriorityQueue<string, DateTimeOffset> _byExpiry = new();
    private readonly Queue<string> _finished = new();
    private readonly int _maxTasks;
    private readonly TimeProvider _time;

    /// <summary>Creates a store that keeps at most <paramref name="maxTasks"/> tasks, on <paramref name="timeProvider"/>'s clock.</summary>
    public InMemoryTaskStore(int maxTasks = 10_000, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxTasks);
        _maxTasks = maxTasks;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public event EventHandler<string>? TaskChanged;

    /// <summary>How many tasks are kept now (expired ones included until the next operation finds them).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _tasks.Count;
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> CreateAsync(McpTaskRecord task, IMcpTaskInbox inbox, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(inbox);
        lock (_gate)
        {
            RemoveExpired();
            if (_tasks.Count >= _maxTasks && !EvictFinished())
            {
                return new(false);
            }

            _tasks.Add(task.TaskId, new Entry(task.Copy(), inbox));
            _byExpiry.Enqueue(task.TaskId, task.ExpiresAt);
            return new(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<McpTaskRecord?> GetAsync(string taskId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return new(Live(taskId)?.Record.Copy());
        }
    }

    /// <inheritdoc />
    public ValueTask AskAsync(string taskId, string key, InputRequest request, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (Live(taskId) is not { Record: var record } || McpTaskStatus.IsTerminal(record.Status))
            {
                return ValueTask.CompletedTask;
            }

            record.InputRequests[key] = request;
            Move(record, McpTaskStatus.InputRequired);
        }

        TaskChanged?.Invoke(this, taskId);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<bool> AnswerAsync(string taskId, IReadOnlyDictionary<string, JsonElement> answers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(answers);
        Dictionary<string, JsonElement>? answered = null;
        IMcpTaskInbox? inbox;
        lock (_gate)
        {
            if (Live(taskId) is not { } entry)
            {
                return new(false);
            }

            var record = entry.Record;
            foreach (var (key, answer) in answers)
            {
                if (record.InputRequests.Remove(key))
                {
                    (answered ??= new(StringComparer.Ordinal))[key] = answer.Clone();
                }
            }

            if (answered is not null && record.InputRequests.Count == 0 && record.Status == McpTaskStatus.InputRequired)
            {
                Move(record, McpTaskStatus.Working);
            }

            inbox = entry.Inbox;
        }

        // Outside the lock: the handler goes on from here.
        if (answered is not null)
        {
            inbox?.Answered(answered);
            TaskChanged?.Invoke(this, taskId);
        }

        return new(true);
    }

    /// <inheritdoc />
    public ValueTask<bool> CancelAsync(string taskId, CancellationToken cancellationToken)
    {
        IMcpTaskInbox? inbox;
        lock (_gate)
        {
            if (Live(taskId) is not { } entry)
            {
                return new(false);
            }

            inbox = entry.Inbox;
        }

        inbox?.CancelRequested();
        return new(true);
    }

    /// <inheritdoc />
    public ValueTask FinishAsync(string taskId, string status, CallToolResult? result, JsonRpcError? failure, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_tasks.TryGetValue(taskId, out var entry) || McpTaskStatus.IsTerminal(entry.Record.Status))
            {
                return ValueTask.CompletedTask;
            }

            var record = entry.Record;
            record.Result = result;
            record.Error = failure;
            record.InputRequests.Clear();
            Move(record, status);
            entry.Inbox = null;
            _finished.Enqueue(taskId);
        }

        TaskChanged?.Invoke(this, taskId);
        return ValueTask.CompletedTask;
    }

    private Entry? Live(string taskId)
    {
        if (!_tasks.TryGetValue(taskId, out var entry))
        {
            return null;
        }

        if (entry.Record.ExpiresAt <= _time.GetUtcNow())
        {
            _tasks.Remove(taskId);
            return null;
        }

        return entry;
    }

    private void Move(McpTaskRecord record, string status)
    {
        if (record.Status != status)
        {
            record.Status = status;
            record.LastUpdatedAt = _time.GetUtcNow();
        }
    }

    private void RemoveExpired()
    {
        var now = _time.GetUtcNow();
        while (_byExpiry.TryPeek(out var id, out var expiresAt) && expiresAt <= now)
        {
            _byExpiry.Dequeue();
            if (_tasks.TryGetValue(id, out var entry) && entry.Record.ExpiresAt <= now)
            {
                _tasks.Remove(id);
            }
        }

        // Ids of tasks evicted or expired are left behind in the queues; rebuilt when they outnumber the live tasks, so
        // both stay in proportion to what is kept.
        if (_finished.Count > _tasks.Count)
        {
            var live = _finished.Where(_tasks.ContainsKey).ToList();
            _finished.Clear();
            live.ForEach(_finished.Enqueue);
        }

        if (_byExpiry.Count > (2 * _tasks.Count) + 16)
        {
            var live = _byExpiry.UnorderedItems.Where(item => _tasks.ContainsKey(item.Element)).ToList();
            _byExpiry.Clear();
            _byExpiry.EnqueueRange(live);
        }
    }

    // The task that finished first makes room (ids of tasks already gone are skipped).
    private bool EvictFinished()
    {
        while (_finished.TryDequeue(out var id))
        {
            if (_tasks.Remove(id))
            {
                return true;
            }
        }

        return false;
    }

    private sealed class Entry(McpTaskRecord record, IMcpTaskInbox inbox)
    {
        public McpTaskRecord Record { get; } = record;

        public IMcpTaskInbox? Inbox { get; set; } = inbox;
    }
}

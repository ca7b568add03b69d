using System.Buffers.Text;
using System.Security.Cryptography;

namespace McpSharp.Server;

/// <summary>
/// The tasks of this process, by id: bounded (<see cref="McpTaskOptions.MaxTasks"/>), each kept for its time to live
/// (a task still running then is cancelled). Ids are 128 random bits, and a task is bound to the principal that
/// started it: an authenticated user reaches only their own tasks, an anonymous client only anonymous ones.
/// </summary>
internal sealed class McpTaskStore(McpTaskOptions options, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, McpToolTask> _tasks = new(StringComparer.Ordinal);

    /// <summary>Creates a task, room permitting (the oldest finished task makes room; running ones are never evicted).</summary>
    public McpToolTask? TryCreate(CancellationTokenSource cancellation, string? owner)
    {
        var task = new McpToolTask(NewId(), owner, time, options, cancellation);
        List<McpToolTask>? expired;
        lock (_gate)
        {
            expired = RemoveExpired();
            if (_tasks.Count >= options.MaxTasks)
            {
                var oldestFinished = _tasks.Values.Where(t => t.IsTerminal).MinBy(t => t.Created);
                if (oldestFinished is null)
                {
                    task = null;
                }
                else
                {
                    _tasks.Remove(oldestFinished.Id);
                }
            }

            if (task is not null)
            {
                _tasks.Add(task.Id, task);
            }
        }

        CancelAll(expired);
        return task;
    }

    /// <summary>
    /// The task, unless it is unknown, expired, or another principal's (<paramref name="owner"/> is the requester's):
    /// all three look the same, so nobody learns that someone else's task exists.
    /// </summary>
    public McpToolTask? Find(string taskId, string? owner)
    {
        McpToolTask? task;
        McpToolTask? expired = null;
        lock (_gate)
        {
            if (_tasks.TryGetValue(taskId, out task) && task.ExpiresAt <= time.GetUtcNow())
            {
                _tasks.Remove(taskId);
                expired = task;
                task = null;
            }
        }

        expired?.Cancel();
        return task is not null && string.Equals(task.Owner, owner, StringComparison.Ordinal) ? task : null;
    }

    /// <summary>How many tasks are kept now.</summary>
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

    private List<McpToolTask>? RemoveExpired()
    {
        var now = time.GetUtcNow();
        List<McpToolTask>? expired = null;
        foreach (var task in _tasks.Values)
        {
            if (task.ExpiresAt <= now)
            {
                (expired ??= []).Add(task);
            }
        }

        if (expired is not null)
        {
            foreach (var task in expired)
            {
                _tasks.Remove(task.Id);
            }
        }

        return expired;
    }

    private static void CancelAll(List<McpToolTask>? tasks)
    {
        foreach (var task in tasks ?? [])
        {
            task.Cancel();
        }
    }

    private static string NewId()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return Base64Url.EncodeToString(bytes);
    }
}

using System.Globalization;
using McpSharp.JsonRpc;
using McpSharp.Protocol;

namespace McpSharp.Server;

/// <summary>
/// A task as an <see cref="IMcpTaskStore"/> keeps it: what <c>tasks/get</c> answers, the principal it belongs to, and
/// how long it is kept.
/// </summary>
public sealed class McpTaskRecord
{
    /// <summary>The task's id (128 random bits, Base64url).</summary>
    public required string TaskId { get; init; }

    /// <summary>The authenticated principal that started the task, null when anonymous: only it may reach the task.</summary>
    public string? Owner { get; init; }

    /// <summary>One of <see cref="McpTaskStatus"/>.</summary>
    public string Status { get; set; } = McpTaskStatus.Working;

    /// <summary>When the task was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When its status last changed.</summary>
    public DateTimeOffset LastUpdatedAt { get; set; }

    /// <summary>How long after <see cref="CreatedAt"/> the task is kept.</summary>
    public TimeSpan TimeToLive { get; init; }

    /// <summary>The poll interval suggested to clients.</summary>
    public TimeSpan PollInterval { get; init; }

    /// <summary>The input the task waits for, by key (while <c>input_required</c>).</summary>
    public Dictionary<string, InputRequest> InputRequests { get; init; } = new(StringComparer.Ordinal);

    /// <summary>The result, once <c>completed</c>.</summary>
    public CallToolResult? Result { get; set; }

    /// <summary>The error, once <c>failed</c>.</summary>
    public JsonRpcError? Error { get; set; }

    /// <summary>When the task is forgotten.</summary>
    public DateTimeOffset ExpiresAt => CreatedAt + TimeToLive;

    /// <summary>A copy that later changes to this one do not reach.</summary>
    public McpTaskRecord Copy() => new()
    {
        TaskId = TaskId,
        Owner = Owner,
        Status = Status,
        CreatedAt = CreatedAt,
        LastUpdatedAt = LastUpdatedAt,
        TimeToLive = TimeToLive,
        PollInterval = PollInterval,
        InputRequests = new(InputRequests, StringComparer.Ordinal),
        Result = Result,
        Error = Error,
    };

    /// <summary>The handle a <c>tools/call</c> answers with.</summary>
    internal CreateTaskResult Handle() =>
        Fill(new CreateTaskResult { TaskId = TaskId, Status = Status, CreatedAt = Stamp(CreatedAt), LastUpdatedAt = Stamp(LastUpdatedAt) });

    /// <summary>What <c>tasks/get</c> answers: the status and what it calls for.</summary>
    internal McpTaskDetails Details()
    {
        var details = Fill(new McpTaskDetails { TaskId = TaskId, Status = Status, CreatedAt = Stamp(CreatedAt), LastUpdatedAt = Stamp(LastUpdatedAt) });
        switch (Status)
        {
            case McpTaskStatus.InputRequired:
                details.InputRequests = new Dictionary<string, InputRequest>(InputRequests, StringComparer.Ordinal);
                break;
            case McpTaskStatus.Completed:
                details.Result = Result;
                break;
            case McpTaskStatus.Failed:
                details.Error = Error;
                break;
        }

        return details;
    }

    private T Fill<T>(T task)
        where T : McpTaskFields
    {
        task.TtlMs = (long)TimeToLive.TotalMilliseconds;
        task.PollIntervalMs = Math.Max(1, (long)PollInterval.TotalMilliseconds);
        return task;
    }

    private static string Stamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}

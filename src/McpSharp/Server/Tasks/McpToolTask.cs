using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using McpSharp.JsonRpc;
using McpSharp.Protocol;

namespace McpSharp.Server;

/// <summary>
/// One <c>tools/call</c> running as a task (the tasks extension): its status as the extension defines it
/// (<c>working</c> and <c>input_required</c> back and forth, then <c>completed</c>, <c>failed</c> or <c>cancelled</c>
/// for good), the input it waits for, and its outcome. The handler keeps running in this process; input it asks for
/// (elicitation, sampling, roots) waits here until <c>tasks/update</c> answers it.
/// </summary>
internal sealed class McpToolTask
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly Dictionary<string, Question> _outstanding = new(StringComparer.Ordinal);
    private readonly HashSet<string> _usedKeys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _counters = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _cancellation;
    private string _status = McpTaskStatus.Working;
    private DateTimeOffset _lastUpdated;
    private CallToolResult? _result;
    private JsonRpcError? _error;
    private bool _cancelRequested;

    public McpToolTask(string id, string? owner, TimeProvider time, McpTaskOptions options, CancellationTokenSource cancellation)
    {
        Id = id;
        Owner = owner;
        _time = time;
        _cancellation = cancellation;
        Created = _lastUpdated = time.GetUtcNow();
        TimeToLive = options.TimeToLive;
        PollInterval = options.PollInterval;
    }

    public string Id { get; }

    /// <summary>The authenticated principal that started the task (null when anonymous): only it may reach the task.</summary>
    public string? Owner { get; }

    public DateTimeOffset Created { get; }

    public TimeSpan TimeToLive { get; }

    public TimeSpan PollInterval { get; }

    public DateTimeOffset ExpiresAt => Created + TimeToLive;

    public bool IsTerminal
    {
        get
        {
            lock (_gate)
            {
                return McpTaskStatus.IsTerminal(_status);
            }
        }
    }

    /// <summary>The handle the <c>tools/call</c> answers with.</summary>
    public CreateTaskResult Handle()
    {
        lock (_gate)
        {
            return Fill(new CreateTaskResult { TaskId = Id, Status = _status, CreatedAt = Stamp(Created), LastUpdatedAt = Stamp(_lastUpdated) });
        }
    }

    /// <summary>What <c>tasks/get</c> answers: the status and what it calls for.</summary>
    public McpTaskDetails Details()
    {
        lock (_gate)
        {
            var details = Fill(new McpTaskDetails { TaskId = Id, Status = _status, CreatedAt = Stamp(Created), LastUpdatedAt = Stamp(_lastUpdated) });
            switch (_status)
            {
                case McpTaskStatus.InputRequired:
                    details.InputRequests = _outstanding.ToDictionary(q => q.Key, q => q.Value.Request, StringComparer.Ordinal);
                    break;
                case McpTaskStatus.Completed:
                    details.Result = _result;
                    break;
                case McpTaskStatus.Failed:
                    details.Error = _error;
                    break;
            }

            return details;
        }
    }

    /// <summary>
    /// Asks the client for input under <paramref name="key"/> (or the next automatic key of <paramref name="kind"/>):
    /// the task is <c>input_required</c> until every outstanding question is answered.
    /// </summary>
    public async ValueTask<T> AskAsync<T>(string? key, string kind, string method, JsonElement? parameters, JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        var question = new Question(new InputRequest { Method = method, Params = parameters });
        lock (_gate)
        {
            if (key is null)
            {
                do
                {
                    _counters.TryGetValue(kind, out int n);
                    _counters[kind] = ++n;
                    key = $"{kind}-{n}";
                }
                while (_usedKeys.Contains(key));
            }

            // Keys are never reused in a task's life: an answer can only ever reach the question it was given for.
            if (!_usedKeys.Add(key))
            {
                throw new InvalidOperationException($"The input key '{key}' was already used in this task.");
            }

            _outstanding[key] = question;
            Move(McpTaskStatus.InputRequired);
        }

        JsonElement answer;
        using (cancellationToken.Register(static q => ((Question)q!).Answer.TrySetCanceled(), question))
        {
            answer = await question.Answer.Task.ConfigureAwait(false);
        }

        try
        {
            return (answer.ValueKind == JsonValueKind.Object ? answer.Deserialize(type) : null) ?? throw new JsonException("not an object");
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw new McpProtocolException(McpErrorCodes.InvalidParams, $"Invalid params: inputResponses['{key}'] is not a valid answer to {method}: {ex.Message}");
        }
    }

    /// <summary>
    /// Takes the answers of a <c>tasks/update</c>: each outstanding key answered is no longer outstanding (at once, so
    /// the next <c>tasks/get</c> shows only what is left); unknown or already answered keys are ignored.
    /// </summary>
    public void Answer(IReadOnlyDictionary<string, JsonElement>? answers)
    {
        if (answers is null)
        {
            return;
        }

        var answered = new List<(Question Question, JsonElement Answer)>();
        lock (_gate)
        {
            foreach (var (key, answer) in answers)
            {
                if (_outstanding.Remove(key, out var question))
                {
                    answered.Add((question, answer.Clone()));
                }
            }

            if (answered.Count > 0 && _outstanding.Count == 0 && _status == McpTaskStatus.InputRequired)
            {
                Move(McpTaskStatus.Working);
            }
        }

        // Outside the lock: the handler continues from here.
        foreach (var (question, answer) in answered)
        {
            question.Answer.TrySetResult(answer);
        }
    }

    /// <summary>Asks the handler to stop (its cancellation token fires); the task ends when the handler does.</summary>
    public void Cancel()
    {
        lock (_gate)
        {
            if (McpTaskStatus.IsTerminal(_status))
            {
                return;
            }

            _cancelRequested = true;
        }

        try
        {
            _cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The handler ended in the meantime: nothing left to stop.
        }
    }

    /// <summary>Records how the handler ended.</summary>
    public void Finish(Task<CallToolResult> run, bool includeExceptionMessages, string toolName)
    {
        lock (_gate)
        {
            if (McpTaskStatus.IsTerminal(_status))
            {
                return;
            }

            if (run.IsCompletedSuccessfully)
            {
                _result = run.Result;
                Move(McpTaskStatus.Completed);
            }
            else if (run.Exception?.InnerException is McpProtocolException protocol)
            {
                _error = new JsonRpcError(protocol.ErrorCode, protocol.Message, protocol.ErrorData);
                Move(McpTaskStatus.Failed);
            }
            else if (run.IsCanceled || (_cancelRequested && run.Exception?.InnerException is OperationCanceledException))
            {
                Move(McpTaskStatus.Cancelled);
            }
            else
            {
                // As for a call that is not a task (TOOL-ERR-INRESULT): a failing tool is a tool error, completed.
                _result = CallToolResult.FromError(includeExceptionMessages
                    ? $"Tool '{toolName}' failed: {run.Exception?.InnerException?.Message}"
                    : $"Tool '{toolName}' failed.");
                Move(McpTaskStatus.Completed);
            }

            foreach (var question in _outstanding.Values)
            {
                question.Answer.TrySetCanceled();
            }

            _outstanding.Clear();
        }

        _cancellation.Dispose();
    }

    private T Fill<T>(T task)
        where T : McpTaskFields
    {
        task.TtlMs = (long)TimeToLive.TotalMilliseconds;
        task.PollIntervalMs = Math.Max(1, (long)PollInterval.TotalMilliseconds);
        return task;
    }

    private void Move(string status)
    {
        if (_status != status)
        {
            _status = status;
            _lastUpdated = _time.GetUtcNow();
        }
    }

    private static string Stamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private sealed class Question(InputRequest request)
    {
        public InputRequest Request { get; } = request;

        public TaskCompletionSource<JsonElement> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using McpSharp.JsonRpc;
using McpSharp.Protocol;
using Microsoft.Extensions.Logging;

namespace McpSharp.Server;

/// <summary>
/// The running side of one <c>tools/call</c> that became a task: the handler's cancellation token, the input it waits
/// for, and how it ends. The task's state lives in the <see cref="IMcpTaskStore"/> (so any node can answer for it);
/// this object, in the process that runs the handler, is its inbox: answers from <c>tasks/update</c> and the stop of
/// <c>tasks/cancel</c> reach the handler through it, wherever those requests arrived. A task still running at its
/// expiry is cancelled.
/// </summary>
internal sealed partial class McpToolTask : IMcpTaskInbox
{
    // ITimer's longest due time; a longer time to live simply never cancels the task early.
    private static readonly TimeSpan LongestTimer = TimeSpan.FromMilliseconds(uint.MaxValue - 1);
    private readonly Lock _gate = new();
    private readonly IMcpTaskStore _store;
    private readonly ILogger _logger;
    private readonly Dictionary<string, TaskCompletionSource<JsonElement>> _waiting = new(StringComparer.Ordinal);
    private readonly HashSet<string> _usedKeys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _counters = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _cancellation;
    private ITimer? _expiry;
    private bool _cancelRequested;
    private bool _finished;

    public McpToolTask(McpTaskRecord created, IMcpTaskStore store, CancellationTokenSource cancellation, ILogger logger)
    {
        Created = created.Copy();
        _store = store;
        _logger = logger;
        _cancellation = cancellation;
    }

    /// <summary>The task as it was created (what the handle shows).</summary>
    public McpTaskRecord Created { get; }

    public string Id => Created.TaskId;

    /// <summary>Once the store has the task: it is cancelled if still running at its expiry.</summary>
    public void StartExpiry(TimeProvider time)
    {
        var dueTime = Created.TimeToLive < LongestTimer ? Created.TimeToLive : Timeout.InfiniteTimeSpan;
        var expiry = time.CreateTimer(static task => ((McpToolTask)task!).CancelRequested(), this, dueTime, Timeout.InfiniteTimeSpan);
        lock (_gate)
        {
            if (!_finished)
            {
                _expiry = expiry;
                return;
            }
        }

        expiry.Dispose();
    }

    /// <summary>
    /// Asks the client for input under <paramref name="key"/> (or the next automatic key of <paramref name="kind"/>):
    /// the task is <c>input_required</c> until every outstanding question is answered through <c>tasks/update</c>.
    /// </summary>
    public async ValueTask<T> AskAsync<T>(string? key, string kind, string method, JsonElement? parameters, JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
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

            // Waiting before the question is recorded: an answer may come the moment it is.
            _waiting[key] = answer;
        }

        JsonElement answered;
        using (cancellationToken.Register(static a => ((TaskCompletionSource<JsonElement>)a!).TrySetCanceled(), answer))
        {
            await _store.AskAsync(Id, key, new InputRequest { Method = method, Params = parameters }, cancellationToken).ConfigureAwait(false);
            answered = await answer.Task.ConfigureAwait(false);
        }

        try
        {
            return (answered.ValueKind == JsonValueKind.Object ? answered.Deserialize(type) : null) ?? throw new JsonException("not an object");
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw new McpProtocolException(McpErrorCodes.InvalidParams, $"Invalid params: inputResponses['{key}'] is not a valid answer to {method}: {ex.Message}");
        }
    }

    /// <inheritdoc />
    public void Answered(IReadOnlyDictionary<string, JsonElement> answers)
    {
        var ready = new List<(TaskCompletionSource<JsonElement> Waiting, JsonElement Answer)>();
        lock (_gate)
        {
            foreach (var (key, answer) in answers)
            {
                if (_waiting.Remove(key, out var waiting))
                {
                    ready.Add((waiting, answer));
                }
            }
        }

        foreach (var (waiting, answer) in ready)
        {
            waiting.TrySetResult(answer);
        }
    }

    /// <inheritdoc />
    public void CancelRequested()
    {
        lock (_gate)
        {
            if (_finished)
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
        catch (AggregateException ex)
        {
            // A callback the handler registered on its token threw: logged, never thrown on the timer's or a store's thread.
            LogCancelCallbackFailed(_logger, ex, Id);
        }
    }

    /// <summary>Records how the handler ended, in the store; a store that fails to take it is logged.</summary>
    public async Task FinishAsync(Task<CallToolResult> run, bool includeExceptionMessages, string toolName)
    {
        bool cancelRequested;
        lock (_gate)
        {
            cancelRequested = _cancelRequested;
        }

        var (status, result, error) = Outcome(run, cancelRequested, includeExceptionMessages, toolName);
        try
        {
            await _store.FinishAsync(Id, status, result, error, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogNotRecorded(_logger, ex, Id, status);
        }
        finally
        {
            List<TaskCompletionSource<JsonElement>> waiting;
            ITimer? expiry;
            lock (_gate)
            {
                _finished = true;
                waiting = [.. _waiting.Values];
                _waiting.Clear();
                expiry = _expiry;
            }

            waiting.ForEach(static w => w.TrySetCanceled());
            expiry?.Dispose();
            _cancellation.Dispose();
        }
    }

    private static (string Status, CallToolResult? Result, JsonRpcError? Error) Outcome(Task<CallToolResult> run, bool cancelRequested, bool includeExceptionMessages, string toolName)
    {
        if (run.IsCompletedSuccessfully)
        {
            return (McpTaskStatus.Completed, run.Result, null);
        }

        var exception = run.Exception?.InnerException;
        if (exception is McpProtocolException protocol)
        {
            return (McpTaskStatus.Failed, null, new JsonRpcError(protocol.ErrorCode, protocol.Message, protocol.ErrorData));
        }

        if (run.IsCanceled || (cancelRequested && exception is OperationCanceledException))
        {
            return (McpTaskStatus.Cancelled, null, null);
        }

        // As for a call that is not a task (TOOL-ERR-INRESULT): a failing tool is a tool error, completed.
        return (McpTaskStatus.Completed, CallToolResult.FromError(includeExceptionMessages
            ? $"Tool '{toolName}' failed: {exception?.Message}"
            : $"Tool '{toolName}' failed."), null);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cancelling task {TaskId}: a callback on its cancellation token threw")]
    private static partial void LogCancelCallbackFailed(ILogger logger, Exception exception, string taskId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Task {TaskId} ended {Status}, but the task store could not record it")]
    private static partial void LogNotRecorded(ILogger logger, Exception exception, string taskId, string status);
}

using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using McpSharp.AspNetCore.Sessions;
using McpSharp.JsonRpc;
using McpSharp.Protocol;
using McpSharp.Server;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace McpSharp.Redis;

/// <summary>
/// Tasks in Redis, shared by every node: any node answers <c>tasks/get</c>, <c>tasks/update</c> and <c>tasks/cancel</c>
/// for a task that runs on another. A task's state is one hash that expires with the task; answers and cancellations
/// are written into it and the node running the task is woken on its own channel to take them, so a wake-up lost
/// while that node was away from Redis is made good when it reconnects. Each node holds a lease in Redis while it
/// lives (<see cref="McpRedisOptions.TaskLease"/>): a task whose node stopped or died is seen as failed, never as
/// working for ever.
/// </summary>
public sealed class RedisTaskStore : IMcpTaskStore, IAsyncDisposable
{
    private readonly IConnectionMultiplexer _redis;
    private readonly int _maxTasks;
    private readonly TimeProvider _time;
    private readonly string _prefix;
    private readonly string _node;
    private readonly RedisKey _index;
    private readonly RedisKey _finished;
    private readonly RedisKey _lease;
    private readonly TimeSpan _leaseTime;
    private readonly string _nodeGone;
    private readonly ConcurrentDictionary<string, IMcpTaskInbox> _running = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RedisValue[]> _unsaved = new(StringComparer.Ordinal);
    private readonly Lock _startGate = new();
    private Task? _starting;
    private readonly CancellationTokenSource _stopped = new();
    private readonly Lock _changeGate = new();
    private RedisSubscription? _wakeUps;
    private RedisSubscription? _changes;
    private EventHandler<string>? _taskChanged;
    private Task? _listening;
    private Task? _renewing;

    /// <summary>Creates the store over <paramref name="redis"/>; its lease and channel start with the first task.</summary>
    public RedisTaskStore(IConnectionMultiplexer redis, IOptions<McpRedisOptions> redisOptions, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(redisOptions);
        _redis = redis;
        _maxTasks = redisOptions.Value.MaxTasks;
        _time = timeProvider ?? TimeProvider.System;
        _prefix = redisOptions.Value.KeyPrefix;
        _leaseTime = redisOptions.Value.TaskLease;
        _node = NewNodeId();
        _index = _prefix + "tasks";
        _finished = _prefix + "tasks:finished";
        _lease = LeasePrefix + _node;
        _nodeGone = RedisTaskCodec.ErrorJson(new JsonRpcError(McpErrorCodes.InternalError, "Internal error: the server that ran the task stopped before it ended."));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_leaseTime, TimeSpan.Zero, nameof(McpRedisOptions.TaskLease));
        _redis.ConnectionRestored += OnConnectionRestored;
    }

    private IDatabase Db => _redis.GetDatabase();

    private string LeasePrefix => _prefix + "tasks:node:";

    private string ChannelPrefix => _prefix + "tasks:wake:";

    private string ChangesChannel => _prefix + "tasks:changed";

    /// <inheritdoc />
    /// <remarks>Every node hears the changes of every task once something listens here (one channel for all tasks).</remarks>
    public event EventHandler<string>? TaskChanged
    {
        add
        {
            lock (_changeGate)
            {
                _taskChanged += value;
                _listening ??= ListenForChangesAsync();
            }
        }

        remove
        {
            lock (_changeGate)
            {
                _taskChanged -= value;
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> CreateAsync(McpTaskRecord task, IMcpTaskInbox inbox, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(inbox);
        await EnsureStartedAsync().ConfigureAwait(false);
        var fields = new List<RedisValue>
        {
            task.TaskId, _maxTasks, RedisTaskCodec.Ms(task.TimeToLive), _prefix + "task:",
            "s", task.Status, "c", RedisTaskCodec.Ms(task.CreatedAt), "u", RedisTaskCodec.Ms(task.LastUpdatedAt), "t", RedisTaskCodec.Ms(task.TimeToLive), "p", RedisTaskCodec.Ms(task.PollInterval), "n", _node, "q", 0,
        };
        if (task.Owner is { } owner)
        {
            fields.Add("o");
            fields.Add(owner);
        }

        // Registered first: a wake-up may come the moment the task exists.
        _running[task.TaskId] = inbox;
        long created = 0;
        try
        {
            created = (long)await RunAsync(RedisTaskScripts.Create, [Key(task.TaskId), _index, _finished], [.. fields]).ConfigureAwait(false);
            return created == 1;
        }
        finally
        {
            if (created != 1)
            {
                _running.TryRemove(task.TaskId, out _);
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask<McpTaskRecord?> GetAsync(string taskId, CancellationToken cancellationToken)
    {
        if (_listening is { IsCompleted: false } listening)
        {
            // A node that reads a task to tell its clients of changes hears every change made from then on.
            await listening.ConfigureAwait(false);
        }

        var result = await RunAsync(RedisTaskScripts.Get, [Key(taskId), _finished], [LeasePrefix, _nodeGone, Now(), taskId, ChangesChannel]).ConfigureAwait(false);
        return result.IsNull ? null : RedisTaskCodec.Read(taskId, (RedisResult[])result!);
    }

    /// <inheritdoc />
    public async ValueTask AskAsync(string taskId, string key, InputRequest request, CancellationToken cancellationToken)
    {
        var asked = await RunAsync(RedisTaskScripts.Ask, [Key(taskId)], [key, JsonSerializer.SerializeToUtf8Bytes(request, McpJsonContext.Default.InputRequest), Now(), ChangesChannel, taskId]).ConfigureAwait(false);
        if ((long)asked == 0 && _running.TryGetValue(taskId, out var inbox))
        {
            // The task ended meanwhile (failed with a lapsed lease, or expired): nobody will answer; its handler stops.
            inbox.CancelRequested();
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> AnswerAsync(string taskId, IReadOnlyDictionary<string, JsonElement> answers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var values = new List<RedisValue> { ChannelPrefix, taskId, Now(), ChangesChannel };
        foreach (var (key, answer) in answers)
        {
            values.Add(key);
            values.Add(answer.GetRawText());
        }

        return !(await RunAsync(RedisTaskScripts.Answer, [Key(taskId)], [.. values]).ConfigureAwait(false)).IsNull;
    }

    /// <inheritdoc />
    public async ValueTask<bool> CancelAsync(string taskId, CancellationToken cancellationToken) =>
        !(await RunAsync(RedisTaskScripts.Cancel, [Key(taskId)], [ChannelPrefix, taskId]).ConfigureAwait(false)).IsNull;

    /// <inheritdoc />
    public async ValueTask FinishAsync(string taskId, string status, CallToolResult? result, JsonRpcError? failure, CancellationToken cancellationToken)
    {
        _running.TryRemove(taskId, out _);
        RedisValue resultJson = result is null ? "" : JsonSerializer.SerializeToUtf8Bytes(result, McpJsonContext.Default.CallToolResult);
        RedisValue errorJson = failure is null ? "" : RedisTaskCodec.ErrorJson(failure);
        RedisValue[] values = [status, Now(), resultJson, errorJson, taskId, ChangesChannel];
        try
        {
            await RunAsync(RedisTaskScripts.Finish, [Key(taskId), _finished], values).ConfigureAwait(false);
        }
        catch (McpBackendUnavailableException)
        {
            // Kept, and written when Redis is back (at the next lease renewal or reconnection): an ending is never lost
            // while this node lives.
            _unsaved[taskId] = values;
            throw;
        }
    }

    /// <summary>
    /// This node stops: the tasks it still runs fail (every node sees that at once) and their handlers are cancelled;
    /// its lease is given up and it stops listening for wake-ups.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        _redis.ConnectionRestored -= OnConnectionRestored;
        await _stopped.CancelAsync().ConfigureAwait(false);
        if (_renewing is { } renewing)
        {
            await renewing.ConfigureAwait(false);
        }

        if (_wakeUps is { } wakeUps)
        {
            await wakeUps.DisposeAsync().ConfigureAwait(false);
        }

        if (_listening is { } listening)
        {
            await listening.ConfigureAwait(false);
            await _changes!.DisposeAsync().ConfigureAwait(false);
        }

        try
        {
            await SaveUnsavedAsync().ConfigureAwait(false);
            foreach (var (taskId, inbox) in _running)
            {
                await Db.ScriptEvaluateAsync(RedisTaskScripts.Finish, [Key(taskId), _finished], [McpTaskStatus.Failed, Now(), "", _nodeGone, taskId, ChangesChannel]).ConfigureAwait(false);
                inbox.CancelRequested();
            }

            if (_starting is not null)
            {
                await Db.KeyDeleteAsync(_lease).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (IsRedisTrouble(ex))
        {
            // Redis is away: the lease lapses by itself, and its tasks are seen as failed then.
        }

        _stopped.Dispose();
    }

    // The lease first: a task is never created without it. A start that failed (Redis away) is tried again by the next
    // task; the rest is started once.
    private Task EnsureStartedAsync()
    {
        lock (_startGate)
        {
            if (_starting is null || _starting.IsFaulted || _starting.IsCanceled)
            {
                _starting = StartAsync();
            }

            return _starting;
        }
    }

    private async Task StartAsync()
    {
        await RedisCalls.RunAsync(() => Db.StringSetAsync(_lease, 1, _leaseTime)).ConfigureAwait(false);
        if (_renewing is not null)
        {
            return;
        }

        _wakeUps = await RedisSubscription.StartAsync(_redis, RedisChannel.Literal(ChannelPrefix + _node), message =>
            TakeAsync(System.Text.Encoding.UTF8.GetString(message.Span))).ConfigureAwait(false);
        _renewing = RenewLeaseAsync();
    }

    private async Task ListenForChangesAsync() =>
        _changes = await RedisSubscription.StartAsync(_redis, RedisChannel.Literal(ChangesChannel), message =>
        {
            Volatile.Read(ref _taskChanged)?.Invoke(this, System.Text.Encoding.UTF8.GetString(message.Span));
            return ValueTask.CompletedTask;
        }).ConfigureAwait(false);

    // The lease is renewed three times per lease time; missed renewals (Redis away) are tried again at the next tick. On
    // the real clock whatever the server's: the lease lapses on Redis's.
    private async Task RenewLeaseAsync()
    {
        using var timer = new PeriodicTimer(_leaseTime / 3, TimeProvider.System);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopped.Token).ConfigureAwait(false))
            {
                try
                {
                    await Db.StringSetAsync(_lease, 1, _leaseTime).ConfigureAwait(false);
                    await SaveUnsavedAsync().ConfigureAwait(false);
                }
                catch (Exception ex) when (IsRedisTrouble(ex))
                {
                    // Tried again at the next tick (LOADING, READONLY in a failover, or Redis away).
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    // Takes what was left for a task this node runs, and hands it to the task.
    private async ValueTask TakeAsync(string taskId)
    {
        if (!_running.TryGetValue(taskId, out var inbox))
        {
            return;
        }

        RedisResult[] taken;
        try
        {
            taken = (RedisResult[])(await Db.ScriptEvaluateAsync(RedisTaskScripts.Take, [Key(taskId)]).ConfigureAwait(false))!;
        }
        catch (Exception ex) when (IsRedisTrouble(ex))
        {
            // Left in Redis: taken when the connection is back (OnConnectionRestored).
            return;
        }

        if (taken.Length > 1)
        {
            var answers = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            for (int i = 1; i + 1 < taken.Length; i += 2)
            {
                answers[(string)taken[i]!] = JsonElement.Parse((string)taken[i + 1]!);
            }

            inbox.Answered(answers);
        }

        if ((long)taken[0] == 1)
        {
            inbox.CancelRequested();
        }
    }

    // Wake-ups published while this node was away from Redis are lost: whatever they announced is taken now, and the
    // endings that could not be written are.
    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        foreach (var taskId in _running.Keys)
        {
            _ = TakeAsync(taskId).AsTask();
        }

        _ = SaveUnsavedQuietlyAsync();
    }

    private async Task SaveUnsavedQuietlyAsync()
    {
        try
        {
            await SaveUnsavedAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (IsRedisTrouble(ex))
        {
            // Tried again at the next lease renewal.
        }
    }

    private async Task SaveUnsavedAsync()
    {
        foreach (var (taskId, values) in _unsaved)
        {
            await Db.ScriptEvaluateAsync(RedisTaskScripts.Finish, [Key(taskId), _finished], values).ConfigureAwait(false);
            _unsaved.TryRemove(taskId, out _);
        }
    }

    private static bool IsRedisTrouble(Exception ex) => ex is RedisException or RedisTimeoutException or McpBackendUnavailableException;

    private async Task<RedisResult> RunAsync(string script, RedisKey[] keys, RedisValue[] values) =>
        await RedisCalls.RunAsync(() => Db.ScriptEvaluateAsync(script, keys, values)).ConfigureAwait(false);

    private RedisKey Key(string taskId) => _prefix + "task:" + taskId;

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static string NewNodeId()
    {
        Span<byte> bytes = stackalloc byte[12];
        RandomNumberGenerator.Fill(bytes);
        return Base64Url.EncodeToString(bytes);
    }
}

using McpSharp.AspNetCore;
using McpSharp.AspNetCore.Sessions;
using McpSharp.Protocol;
using McpSharp.Server;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace McpSharp.Redis;

/// <summary>
/// The session directory in Redis, shared by every node. A session is a hash (the user it is bound to, the state the
/// client negotiated) whose key expires after <see cref="McpHttpOptions.IdleTimeout"/> unless touched, plus a member of
/// one sorted set scored by last activity (for the cluster-wide limit: the longest idle is evicted first). Every
/// operation is one Lua script, so one round trip and atomic; activity uses the Redis server's clock, never a node's. A
/// session ended on purpose (removed, evicted) is announced on a channel so every node drops its live copy at once; a
/// session that expired is found gone by the next request that asks for it.
/// </summary>
public sealed class RedisSessionDirectory : IMcpSessionDirectory, IAsyncDisposable
{
    // KEYS[1] session hash, KEYS[2] index; ARGV[1] idle timeout (ms), ARGV[2] id, ARGV[3] busy for (ms). A busy session
    // is active until the end of its busy time: later than the others for eviction, and its key lives that much longer.
    private const string TouchScript = """
        local values = redis.call('HGETALL', KEYS[1])
        if #values == 0 then
          redis.call('ZREM', KEYS[2], ARGV[2])
          return false
        end
        local t = redis.call('TIME')
        redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]) + tonumber(ARGV[3]))
        redis.call('ZADD', KEYS[2], t[1] * 1000 + math.floor(t[2] / 1000) + tonumber(ARGV[3]), ARGV[2])
        return values
        """;

    // KEYS[1] new session hash, KEYS[2] index, KEYS[3] victim hash (or any key when none); ARGV[1] idle timeout (ms),
    // ARGV[2] max sessions, ARGV[3] id, ARGV[4] user ('' for none), ARGV[5] state, ARGV[6] victim id ('' for none),
    // ARGV[7] candidates to return when full: the longest idle, never one a node is busy with (scored in the future).
    // Returns {1, evicted or ''} or {0, candidate ids...}.
    private const string AddScript = """
        local t = redis.call('TIME')
        local now = t[1] * 1000 + math.floor(t[2] / 1000)
        redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - tonumber(ARGV[1]))
        local evicted = ''
        if ARGV[6] ~= '' and redis.call('ZREM', KEYS[2], ARGV[6]) == 1 then
          redis.call('DEL', KEYS[3])
          evicted = ARGV[6]
        end
        if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[2]) then
          local result = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, tonumber(ARGV[7]))
          table.insert(result, 1, 0)
          return result
        end
        if redis.call('EXISTS', KEYS[1]) == 1 then
          return {0}
        end
        redis.call('HSET', KEYS[1], 'u', ARGV[4], 's', ARGV[5])
        redis.call('PEXPIRE', KEYS[1], ARGV[1])
        redis.call('ZADD', KEYS[2], now, ARGV[3])
        return {1, evicted}
        """;

    // KEYS[1] session hash; ARGV[1] state. The expiry stays as it is.
    private const string UpdateScript = """
        if redis.call('EXISTS', KEYS[1]) == 0 then
          return 0
        end
        redis.call('HSET', KEYS[1], 's', ARGV[1])
        return 1
        """;

    // KEYS[1] session hash, KEYS[2] index; ARGV[1] id, ARGV[2] ended channel.
    private const string RemoveScript = """
        local removed = redis.call('DEL', KEYS[1])
        redis.call('ZREM', KEYS[2], ARGV[1])
        if removed == 1 then
          redis.call('PUBLISH', ARGV[2], ARGV[1])
        end
        return removed
        """;

    private const int Candidates = 16;
    private readonly IConnectionMultiplexer _redis;
    private readonly string _prefix;
    private readonly RedisKey _index;
    private readonly RedisChannel _ended;
    private readonly long _idleMs;
    private RedisSubscription? _endedSubscription;

    /// <summary>Creates the directory over <paramref name="redis"/>; call <see cref="StartAsync"/> before serving.</summary>
    public RedisSessionDirectory(IConnectionMultiplexer redis, IOptions<McpRedisOptions> redisOptions, IOptions<McpHttpOptions> httpOptions)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(redisOptions);
        ArgumentNullException.ThrowIfNull(httpOptions);
        _redis = redis;
        _prefix = redisOptions.Value.KeyPrefix;
        _index = _prefix + "sessions";
        _ended = RedisChannel.Literal(_prefix + "ended");
        _idleMs = (long)httpOptions.Value.IdleTimeout.TotalMilliseconds;
    }

    /// <inheritdoc />
    public event Action<string>? SessionEnded;

    private IDatabase Db => _redis.GetDatabase();

    /// <summary>
    /// Listens for sessions ended by any node. Never fails: while Redis is down it keeps trying in the background (until
    /// then, this node learns that a session ended when a request asks for it).
    /// </summary>
    public async Task StartAsync() =>
        _endedSubscription = await RedisSubscription.StartAsync(_redis, _ended, message =>
        {
            SessionEnded?.Invoke(System.Text.Encoding.UTF8.GetString(message.Span));
            return ValueTask.CompletedTask;
        }).ConfigureAwait(false);

    /// <inheritdoc />
    public ValueTask<McpSessionAdmission> AddAsync(McpSessionRecord record, int maxSessions, Func<string, bool> canEvict, CancellationToken cancellationToken) =>
        new(AddCoreAsync(record, maxSessions, canEvict));

    /// <inheritdoc />
    public async ValueTask<McpSessionRecord?> TouchAsync(string id, TimeSpan busyFor, CancellationToken cancellationToken)
    {
        var result = await RedisCalls.RunAsync(() => Db.ScriptEvaluateAsync(TouchScript, [Key(id), _index], [_idleMs, id, (long)busyFor.TotalMilliseconds])).ConfigureAwait(false);
        if (result.IsNull || result.Resp2Type != ResultType.Array)
        {
            return null;
        }

        var fields = (RedisValue[])result!;
        string? user = null, state = null;
        for (int i = 0; i + 1 < fields.Length; i += 2)
        {
            switch ((string?)fields[i])
            {
                case "u":
                    user = fields[i + 1];
                    break;
                case "s":
                    state = fields[i + 1];
                    break;
            }
        }

        return new McpSessionRecord(id, string.IsNullOrEmpty(user) ? null : user, ReadState(state));
    }

    /// <inheritdoc />
    public async ValueTask<bool> UpdateAsync(McpSessionRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var result = await RedisCalls.RunAsync(() => Db.ScriptEvaluateAsync(UpdateScript, [Key(record.Id)], [WriteState(record.State)])).ConfigureAwait(false);
        return (long)result == 1;
    }

    /// <inheritdoc />
    public async ValueTask<bool> RemoveAsync(string id, CancellationToken cancellationToken)
    {
        var result = await RedisCalls.RunAsync(() => Db.ScriptEvaluateAsync(RemoveScript, [Key(id), _index], [id, _ended.ToString()])).ConfigureAwait(false);
        return (long)result == 1;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_endedSubscription is { } subscription)
        {
            await subscription.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<McpSessionAdmission> AddCoreAsync(McpSessionRecord record, int maxSessions, Func<string, bool> canEvict)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(canEvict);
        string state = WriteState(record.State);
        string victim = string.Empty;
        for (int attempt = 0; attempt < 2; attempt++)
        {
            var keys = new RedisKey[] { Key(record.Id), _index, victim.Length == 0 ? Key(record.Id) : Key(victim) };
            var values = new RedisValue[] { _idleMs, maxSessions, record.Id, record.UserKey ?? string.Empty, state, victim, Candidates };
            var result = (RedisResult[])(await RedisCalls.RunAsync(() => Db.ScriptEvaluateAsync(AddScript, keys, values)).ConfigureAwait(false))!;
            if ((long)result[0] == 1)
            {
                string? evicted = result.Length > 1 && !result[1].IsNull && ((string?)result[1])?.Length > 0 ? (string)result[1]! : null;
                if (evicted is not null)
                {
                    await RedisCalls.RunAsync(() => Db.PublishAsync(_ended, evicted)).ConfigureAwait(false);
                }

                return new McpSessionAdmission(true, evicted);
            }

            // Full: evict the longest idle session no node here has work for, once.
            victim = result.Skip(1).Select(r => (string?)r).FirstOrDefault(id => id is not null && canEvict(id)) ?? string.Empty;
            if (victim.Length == 0)
            {
                break;
            }
        }

        return new McpSessionAdmission(false, null);
    }

    private RedisKey Key(string id) => _prefix + "s:" + id;

    private static string WriteState(McpSessionState state) => System.Text.Json.JsonSerializer.Serialize(state, McpJsonContext.Default.McpSessionState);

    private static McpSessionState ReadState(string? json) =>
        string.IsNullOrEmpty(json) ? new McpSessionState() : System.Text.Json.JsonSerializer.Deserialize(json, McpJsonContext.Default.McpSessionState) ?? new McpSessionState();

}

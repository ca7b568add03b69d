using McpSharp.AspNetCore;
using McpSharp.AspNetCore.Streams;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace McpSharp.Redis;

/// <summary>
/// The event log for resumable SSE streams, in Redis, shared by every node: a GET with <c>Last-Event-ID</c> on any node
/// replays the stream, also after the node that wrote it died. Each stream is a Redis stream (entry id <c>0-{sequence}</c>,
/// so the sequence is the event's own and Redis keeps them in order and refuses duplicates), trimmed to
/// <see cref="McpRedisOptions.MaxEventsPerStream"/>; a session's registration hash records, per stream, the first
/// sequence kept and the last written, which for a stream several nodes write (<see cref="AppendAsync"/>, the GET
/// stream) is also the counter that numbers its events. Every operation is one Lua script or command (one round trip). Keys expire a while after the
/// session's idle timeout, so an expired session leaves nothing behind.
/// </summary>
public sealed class RedisEventStore : IMcpEventStore
{
    // KEYS[1] registration hash, KEYS[2] stream; ARGV[1] stream id, ARGV[2] sequence, ARGV[3] data, ARGV[4] max events,
    // ARGV[5] expiry (ms). Only a registration (sequence 0) creates the session's entry: late events of a deleted session
    // are not stored again.
    private const string StoreScript = """
        local seq = tonumber(ARGV[2])
        if seq == 0 then
          if redis.call('HSETNX', KEYS[1], ARGV[1] .. ':f', 1) == 1 then
            redis.call('HSET', KEYS[1], ARGV[1] .. ':l', 0)
          end
          redis.call('PEXPIRE', KEYS[1], ARGV[5])
          return 1
        end
        if redis.call('EXISTS', KEYS[1]) == 0 then
          return 0
        end
        redis.call('HSETNX', KEYS[1], ARGV[1] .. ':f', seq)
        redis.call('HSET', KEYS[1], ARGV[1] .. ':l', seq)
        redis.call('XADD', KEYS[2], 'MAXLEN', ARGV[4], '0-' .. seq, 'd', ARGV[3])
        redis.call('PEXPIRE', KEYS[2], ARGV[5])
        redis.call('PEXPIRE', KEYS[1], ARGV[5])
        return 1
        """;

    // KEYS[1] registration hash, KEYS[2] stream, KEYS[3] the once key (unused without one); ARGV[1] stream id, ARGV[2]
    // data, ARGV[3] max events, ARGV[4] expiry (ms), ARGV[5] '1' when there is a once key, ARGV[6] its expiry (ms). The
    // registration's last sequence is the stream's counter: the script runs alone, so numbers are handed out in order.
    private const string AppendScript = """
        if redis.call('EXISTS', KEYS[1]) == 0 then
          return 0
        end
        if ARGV[5] == '1' and not redis.call('SET', KEYS[3], 1, 'NX', 'PX', ARGV[6]) then
          return 0
        end
        local seq = redis.call('HINCRBY', KEYS[1], ARGV[1] .. ':l', 1)
        redis.call('HSETNX', KEYS[1], ARGV[1] .. ':f', seq)
        redis.call('XADD', KEYS[2], 'MAXLEN', ARGV[3], '0-' .. seq, 'd', ARGV[2])
        redis.call('PEXPIRE', KEYS[2], ARGV[4])
        redis.call('PEXPIRE', KEYS[1], ARGV[4])
        return seq
        """;

    // How long a once key is remembered: far longer than it takes every node to relay an announcement.
    private const long OnceKeyExpiryMs = 10 * 60 * 1000;

    // The first sequence still kept: what the registration says, or later when older events were trimmed.
    private const string FirstKept = """
        local function first_kept()
          local f = redis.call('HGET', KEYS[1], ARGV[1] .. ':f')
          if not f then
            return nil
          end
          local first = tonumber(f)
          local head = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', 1)
          if #head > 0 then
            local s = tonumber(string.match(head[1][1], '-(%d+)$'))
            if s > first then
              first = s
            end
          end
          return first
        end
        """;

    // KEYS as above; ARGV[1] stream id, ARGV[2] after, ARGV[3] up to. False when unknown or events after ARGV[2] are gone.
    private const string ReplayScript = FirstKept + "\n" + """
        local first = first_kept()
        if not first or tonumber(ARGV[2]) + 1 < first then
          return false
        end
        return redis.call('XRANGE', KEYS[2], '(0-' .. ARGV[2], '0-' .. ARGV[3])
        """;

    private const string CanResumeScript = FirstKept + "\n" + """
        local first = first_kept()
        if not first or tonumber(ARGV[2]) + 1 < first then
          return 0
        end
        local last = tonumber(redis.call('HGET', KEYS[1], ARGV[1] .. ':l') or '0')
        if tonumber(ARGV[2]) > last then
          return 0
        end
        return 1
        """;

    // KEYS[1] registration hash; ARGV[1] the prefix of the session's stream keys.
    private const string DeleteScript = """
        for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
          local stream = string.match(field, '^(.*):f$')
          if stream then
            redis.call('DEL', ARGV[1] .. stream)
          end
        end
        return redis.call('DEL', KEYS[1])
        """;

    private readonly IConnectionMultiplexer _redis;
    private readonly string _prefix;
    private readonly int _maxEvents;
    private readonly long _expiryMs;

    /// <summary>Creates the store; keys expire a minute after the sessions' idle timeout.</summary>
    public RedisEventStore(IConnectionMultiplexer redis, IOptions<McpRedisOptions> redisOptions, IOptions<McpHttpOptions> httpOptions)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(redisOptions);
        ArgumentNullException.ThrowIfNull(httpOptions);
        _redis = redis;
        _prefix = redisOptions.Value.KeyPrefix;
        _maxEvents = redisOptions.Value.MaxEventsPerStream;
        _expiryMs = (long)(httpOptions.Value.IdleTimeout + TimeSpan.FromMinutes(1)).TotalMilliseconds;
    }

    private IDatabase Db => _redis.GetDatabase();

    /// <inheritdoc />
    public async ValueTask StoreAsync(string sessionId, string streamId, long sequence, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        await RedisCalls.RunAsync(() => Db.ScriptEvaluateAsync(StoreScript, [Registration(sessionId), Stream(sessionId, streamId)], [streamId, sequence, data, _maxEvents, _expiryMs])).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask<long> AppendAsync(string sessionId, string streamId, ReadOnlyMemory<byte> data, string? onceKey, CancellationToken cancellationToken)
    {
        RedisKey once = onceKey is null ? Registration(sessionId) : _prefix + "e:" + sessionId + ":once:" + onceKey;
        return (long)await RedisCalls.RunAsync(() => Db.ScriptEvaluateAsync(AppendScript, [Registration(sessionId), Stream(sessionId, streamId), once], [streamId, data, _maxEvents, _expiryMs, onceKey is null ? "0" : "1", OnceKeyExpiryMs])).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<long> LastSequenceAsync(string sessionId, string streamId, CancellationToken cancellationToken)
    {
        var last = await RedisCalls.RunAsync(() => Db.HashGetAsync(Registration(sessionId), streamId + ":l")).ConfigureAwait(false);
        return last.IsNull ? -1 : (long)last;
    }

    /// <inheritdoc />
    public async ValueTask<bool> ReplayAsync(string sessionId, string streamId, long afterSequence, long upToSequence, Func<long, ReadOnlyMemory<byte>, ValueTask> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        var result = await RedisCalls.RunAsync(() => Db.ScriptEvaluateAsync(ReplayScript, [Registration(sessionId), Stream(sessionId, streamId)], [streamId, afterSequence, upToSequence])).ConfigureAwait(false);
        if (result.IsNull || result.Resp2Type != ResultType.Array)
        {
            return false;
        }

        foreach (var entry in (RedisResult[])result!)
        {
            var parts = (RedisResult[])entry!;
            string id = (string)parts[0]!;
            var fields = (RedisResult[])parts[1]!;
            long sequence = long.Parse(id.AsSpan(id.IndexOf('-', StringComparison.Ordinal) + 1), System.Globalization.CultureInfo.InvariantCulture);
            await write(sequence, (byte[])fields[1]!).ConfigureAwait(false);
        }

        return true;
    }

    /// <inheritdoc />
    public async ValueTask<bool> CanResumeAsync(string sessionId, string streamId, long afterSequence, CancellationToken cancellationToken) =>
        (long)await RedisCalls.RunAsync(() => Db.ScriptEvaluateAsync(CanResumeScript, [Registration(sessionId), Stream(sessionId, streamId)], [streamId, afterSequence])).ConfigureAwait(false) == 1;

    /// <inheritdoc />
    public async ValueTask DeleteSessionAsync(string sessionId, CancellationToken cancellationToken) =>
        await RedisCalls.RunAsync(() => Db.ScriptEvaluateAsync(DeleteScript, [Registration(sessionId)], [_prefix + "e:" + sessionId + ":"])).ConfigureAwait(false);

    private RedisKey Registration(string sessionId) => _prefix + "e:" + sessionId;

    private RedisKey Stream(string sessionId, string streamId) => _prefix + "e:" + sessionId + ":" + streamId;
}

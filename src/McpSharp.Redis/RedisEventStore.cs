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
/// sequence kept and the last written. Every operation is one Lua script (one round trip). Keys expire a while after the
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

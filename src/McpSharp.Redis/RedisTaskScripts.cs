namespace McpSharp.Redis;

/// <summary>
/// The Lua scripts of <see cref="RedisTaskStore"/>: each operation on a task is one script, so one round trip and
/// atomic. A task is one hash: <c>s</c> status, <c>c</c>/<c>u</c> created and last updated (ms), <c>t</c> time to live
/// and <c>p</c> poll interval (ms), <c>o</c> owner (absent when anonymous), <c>n</c> the node that runs it, <c>q</c> how
/// many inputs are outstanding, <c>i:key</c> each outstanding input request, <c>a:key</c> each answer not yet taken by
/// the node, <c>x</c> a cancellation not yet taken, <c>r</c> the result and <c>e</c> the error.
/// </summary>
internal static class RedisTaskScripts
{
    private const string Terminal = """
        local function terminal(s)
          return s == 'completed' or s == 'failed' or s == 'cancelled'
        end
        local function clearInbox(key)
          local fields = redis.call('HKEYS', key)
          for _, f in ipairs(fields) do
            local kind = string.sub(f, 1, 2)
            if kind == 'i:' or kind == 'a:' then
              redis.call('HDEL', key, f)
            end
          end
          redis.call('HDEL', key, 'x')
          redis.call('HSET', key, 'q', 0)
        end
        local function now()
          local t = redis.call('TIME')
          return t[1] * 1000 + math.floor(t[2] / 1000)
        end

        """;

    // KEYS[1] task, KEYS[2] index (by expiry), KEYS[3] finished (by end); ARGV[1] id, ARGV[2] max tasks, ARGV[3] time to
    // live (ms), ARGV[4] task key prefix, ARGV[5...] the fields. At the limit the task that finished first makes room;
    // running tasks are never evicted. Returns 1, or 0 when full.
    public const string Create = Terminal + """
        local t = now()
        local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', t, 'LIMIT', 0, 1000)
        for _, id in ipairs(expired) do
          redis.call('ZREM', KEYS[2], id)
          redis.call('ZREM', KEYS[3], id)
        end
        if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[2]) then
          local victim = redis.call('ZPOPMIN', KEYS[3])
          if #victim == 0 then
            return 0
          end
          redis.call('ZREM', KEYS[2], victim[1])
          redis.call('DEL', ARGV[4] .. victim[1])
        end
        redis.call('HSET', KEYS[1], unpack(ARGV, 5))
        redis.call('PEXPIRE', KEYS[1], ARGV[3])
        redis.call('ZADD', KEYS[2], t + tonumber(ARGV[3]), ARGV[1])
        return 1
        """;

    // KEYS[1] task, KEYS[2] finished; ARGV[1] lease key prefix, ARGV[2] the error of a task whose node is gone, ARGV[3]
    // now (ms, the caller's clock), ARGV[4] id, ARGV[5] the changes channel. A task still running whose node's lease
    // lapsed failed with that node.
    public const string Get = Terminal + """
        local s = redis.call('HGET', KEYS[1], 's')
        if not s then
          return false
        end
        if not terminal(s) and redis.call('EXISTS', ARGV[1] .. redis.call('HGET', KEYS[1], 'n')) == 0 then
          clearInbox(KEYS[1])
          redis.call('HSET', KEYS[1], 's', 'failed', 'e', ARGV[2], 'u', ARGV[3])
          redis.call('ZADD', KEYS[2], now(), ARGV[4])
          redis.call('PUBLISH', ARGV[5], ARGV[4])
        end
        return redis.call('HGETALL', KEYS[1])
        """;

    // KEYS[1] task; ARGV[1] key, ARGV[2] input request, ARGV[3] now (ms), ARGV[4] the changes channel, ARGV[5] id.
    public const string Ask = Terminal + """
        local s = redis.call('HGET', KEYS[1], 's')
        if not s or terminal(s) then
          return 0
        end
        if redis.call('HSETNX', KEYS[1], 'i:' .. ARGV[1], ARGV[2]) == 1 then
          redis.call('HINCRBY', KEYS[1], 'q', 1)
        end
        if s ~= 'input_required' then
          redis.call('HSET', KEYS[1], 's', 'input_required', 'u', ARGV[3])
        end
        redis.call('PUBLISH', ARGV[4], ARGV[5])
        return 1
        """;

    // KEYS[1] task; ARGV[1] node channel prefix, ARGV[2] id, ARGV[3] now (ms), ARGV[4] the changes channel, ARGV[5...]
    // key, answer pairs. Each outstanding key answered moves to the inbox, and the node running the task is told.
    // Returns nil when unknown.
    public const string Answer = Terminal + """
        local s = redis.call('HGET', KEYS[1], 's')
        if not s then
          return false
        end
        if terminal(s) then
          return 1
        end
        local answered = 0
        for i = 5, #ARGV, 2 do
          if redis.call('HDEL', KEYS[1], 'i:' .. ARGV[i]) == 1 then
            redis.call('HSET', KEYS[1], 'a:' .. ARGV[i], ARGV[i + 1])
            answered = answered + 1
          end
        end
        if answered > 0 then
          local left = redis.call('HINCRBY', KEYS[1], 'q', -answered)
          if left <= 0 and s == 'input_required' then
            redis.call('HSET', KEYS[1], 's', 'working', 'u', ARGV[3])
          end
          redis.call('PUBLISH', ARGV[1] .. redis.call('HGET', KEYS[1], 'n'), ARGV[2])
          redis.call('PUBLISH', ARGV[4], ARGV[2])
        end
        return 1
        """;

    // KEYS[1] task; ARGV[1] node channel prefix, ARGV[2] id. Returns nil when unknown.
    public const string Cancel = Terminal + """
        local s = redis.call('HGET', KEYS[1], 's')
        if not s then
          return false
        end
        if not terminal(s) then
          redis.call('HSET', KEYS[1], 'x', 1)
          redis.call('PUBLISH', ARGV[1] .. redis.call('HGET', KEYS[1], 'n'), ARGV[2])
        end
        return 1
        """;

    // KEYS[1] task. What the running node has not taken yet: {cancelled (0 or 1), key, answer, ...}.
    public const string Take = """
        local values = redis.call('HGETALL', KEYS[1])
        local taken = {0}
        for i = 1, #values, 2 do
          local f = values[i]
          if string.sub(f, 1, 2) == 'a:' then
            table.insert(taken, string.sub(f, 3))
            table.insert(taken, values[i + 1])
            redis.call('HDEL', KEYS[1], f)
          elseif f == 'x' then
            taken[1] = 1
            redis.call('HDEL', KEYS[1], f)
          end
        end
        return taken
        """;

    // KEYS[1] task, KEYS[2] finished; ARGV[1] status, ARGV[2] now (ms), ARGV[3] result or '', ARGV[4] error or '',
    // ARGV[5] id, ARGV[6] the changes channel. A finished task never changes again.
    public const string Finish = Terminal + """
        local s = redis.call('HGET', KEYS[1], 's')
        if not s or terminal(s) then
          return 0
        end
        clearInbox(KEYS[1])
        redis.call('HSET', KEYS[1], 's', ARGV[1], 'u', ARGV[2])
        if ARGV[3] ~= '' then
          redis.call('HSET', KEYS[1], 'r', ARGV[3])
        end
        if ARGV[4] ~= '' then
          redis.call('HSET', KEYS[1], 'e', ARGV[4])
        end
        redis.call('ZADD', KEYS[2], now(), ARGV[5])
        redis.call('PUBLISH', ARGV[6], ARGV[5])
        return 1
        """;
}

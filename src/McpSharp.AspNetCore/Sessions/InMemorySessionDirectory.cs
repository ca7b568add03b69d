using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace McpSharp.AspNetCore.Sessions;

/// <summary>
/// The default session directory: the sessions of one node, in its memory. Idle sessions expire on the
/// <see cref="TimeProvider"/>'s timer; the session limit is exact (adds are serialized).
/// </summary>
public sealed class InMemorySessionDirectory : IMcpSessionDirectory, IDisposable
{
    private readonly ConcurrentDictionary<string, Entry> _sessions = new(StringComparer.Ordinal);
    private readonly Lock _addGate = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _idleTimeout;
    private readonly ITimer _sweeper;

    /// <summary>Creates the directory; idle sessions are looked for ten times per idle timeout (between 1 s and 60 s).</summary>
    public InMemorySessionDirectory(IOptions<McpHttpOptions> options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = timeProvider ?? TimeProvider.System;
        _idleTimeout = options.Value.IdleTimeout;
        var period = TimeSpan.FromSeconds(Math.Clamp(_idleTimeout.TotalSeconds / 10, 1, 60));
        _sweeper = _time.CreateTimer(static state => ((InMemorySessionDirectory)state!).Sweep(), this, period, period);
    }

    /// <inheritdoc />
    public event Action<string>? SessionEnded;

    /// <summary>How many sessions there are.</summary>
    public int Count => _sessions.Count;

    /// <inheritdoc />
    public ValueTask<McpSessionAdmission> AddAsync(McpSessionRecord record, int maxSessions, Func<string, bool> canEvict, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(canEvict);
        string? evicted = null;
        lock (_addGate)
        {
            if (_sessions.Count >= maxSessions)
            {
                evicted = LongestIdle(canEvict);
                if (evicted is null || !_sessions.TryRemove(evicted, out _))
                {
                    return new(new McpSessionAdmission(false, null));
                }
            }

            if (!_sessions.TryAdd(record.Id, new Entry(record, _time.GetTimestamp())))
            {
                return new(new McpSessionAdmission(false, evicted));
            }
        }

        if (evicted is not null)
        {
            SessionEnded?.Invoke(evicted);
        }

        return new(new McpSessionAdmission(true, evicted));
    }

    /// <inheritdoc />
    public ValueTask<McpSessionRecord?> TouchAsync(string id, TimeSpan busyFor, CancellationToken cancellationToken)
    {
        if (!_sessions.TryGetValue(id, out var entry))
        {
            return new((McpSessionRecord?)null);
        }

        // Busy: active until then, as far as expiry and eviction can tell.
        entry.LastTouch = _time.GetTimestamp() + (long)(busyFor.TotalSeconds * _time.TimestampFrequency);
        return new(entry.Record);
    }

    /// <inheritdoc />
    public ValueTask<bool> UpdateAsync(McpSessionRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!_sessions.TryGetValue(record.Id, out var entry))
        {
            return new(false);
        }

        entry.Record = record;
        return new(true);
    }

    /// <inheritdoc />
    public ValueTask<bool> RemoveAsync(string id, CancellationToken cancellationToken)
    {
        if (!_sessions.TryRemove(id, out _))
        {
            return new(false);
        }

        SessionEnded?.Invoke(id);
        return new(true);
    }

    /// <summary>Stops looking for idle sessions.</summary>
    public void Dispose() => _sweeper.Dispose();

    private string? LongestIdle(Func<string, bool> canEvict)
    {
        // Never a session some node is busy with (touched as busy until later than now).
        string? oldest = null;
        long oldestTouch = _time.GetTimestamp() + 1;
        foreach (var (id, entry) in _sessions)
        {
            if (entry.LastTouch < oldestTouch && canEvict(id))
            {
                (oldest, oldestTouch) = (id, entry.LastTouch);
            }
        }

        return oldest;
    }

    // Sessions idle for longer than the idle timeout are gone.
    private void Sweep()
    {
        foreach (var (id, entry) in _sessions)
        {
            if (_time.GetTimestamp() - entry.LastTouch > (long)(_idleTimeout.TotalSeconds * _time.TimestampFrequency) && _sessions.TryRemove(new KeyValuePair<string, Entry>(id, entry)))
            {
                SessionEnded?.Invoke(id);
            }
        }
    }

    private sealed class Entry(McpSessionRecord record, long lastTouch)
    {
        private long _lastTouch = lastTouch;
        private McpSessionRecord _record = record;

        public McpSessionRecord Record
        {
            get => Volatile.Read(ref _record);
            set => Volatile.Write(ref _record, value);
        }

        public long LastTouch
        {
            get => Volatile.Read(ref _lastTouch);
            set => Volatile.Write(ref _lastTouch, value);
        }
    }
}

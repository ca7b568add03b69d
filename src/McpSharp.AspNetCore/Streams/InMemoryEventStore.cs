using System.Collections.Concurrent;

namespace McpSharp.AspNetCore.Streams;

/// <summary>
/// The default event store: in memory, bounded per stream (<see cref="MaxEventsPerStream"/>) and per session
/// (<see cref="MaxStreamsPerSession"/>, oldest stream forgotten first).
/// </summary>
public sealed class InMemoryEventStore : IMcpEventStore
{
    private readonly ConcurrentDictionary<string, SessionEvents> _sessions = new(StringComparer.Ordinal);

    /// <summary>Events kept per stream (default 256); older ones are dropped, and resuming before them gets 400.</summary>
    public int MaxEventsPerStream { get; init; } = 256;

    /// <summary>
    /// Streams kept per session (default 64); the oldest is forgotten first, except the session's GET stream (numbered by
    /// <see cref="AppendAsync"/>), which is kept as long as the session.
    /// </summary>
    public int MaxStreamsPerSession { get; init; } = 64;

    /// <inheritdoc />
    public ValueTask StoreAsync(string sessionId, string streamId, long sequence, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        // Only a registration creates a session's entry: events written after the session was deleted are dropped.
        var session = sequence == 0 ? _sessions.GetOrAdd(sessionId, static _ => new SessionEvents()) : _sessions.GetValueOrDefault(sessionId);
        if (session is null)
        {
            return ValueTask.CompletedTask;
        }

        lock (session)
        {
            var events = StreamLocked(session, streamId, sequence);
            if (sequence > 0)
            {
                AddLocked(events, sequence, data);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<long> AppendAsync(string sessionId, string streamId, ReadOnlyMemory<byte> data, string? onceKey, CancellationToken cancellationToken)
    {
        if (!_sessions.TryGetValue(sessionId, out var session))
        {
            return ValueTask.FromResult(0L);
        }

        lock (session)
        {
            if (onceKey is not null && !session.UseOnceKey(onceKey))
            {
                return ValueTask.FromResult(0L);
            }

            // The count outlives the stream's events (forgotten for newer streams): numbers are never handed out twice.
            long sequence = session.Appended[streamId] = session.Appended.GetValueOrDefault(streamId) + 1;
            AddLocked(StreamLocked(session, streamId, sequence), sequence, data);
            return ValueTask.FromResult(sequence);
        }
    }

    /// <inheritdoc />
    public ValueTask<long> LastSequenceAsync(string sessionId, string streamId, CancellationToken cancellationToken)
    {
        if (!_sessions.TryGetValue(sessionId, out var session))
        {
            return ValueTask.FromResult(-1L);
        }

        lock (session)
        {
            return ValueTask.FromResult(session.Streams.TryGetValue(streamId, out var events) ? events.LastSequence
                : session.Appended.TryGetValue(streamId, out long appended) ? appended : -1L);
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> ReplayAsync(string sessionId, string streamId, long afterSequence, long upToSequence, Func<long, ReadOnlyMemory<byte>, ValueTask> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        (long Sequence, ReadOnlyMemory<byte> Data)[] snapshot;
        if (!_sessions.TryGetValue(sessionId, out var session))
        {
            return false;
        }

        lock (session)
        {
            if (!session.Streams.TryGetValue(streamId, out var events) || afterSequence + 1 < events.FirstKept)
            {
                return false;
            }

            snapshot = events.Events.Where(e => e.Sequence > afterSequence && e.Sequence <= upToSequence).ToArray();
        }

        foreach (var (sequence, data) in snapshot)
        {
            await write(sequence, data).ConfigureAwait(false);
        }

        return true;
    }

    /// <inheritdoc />
    public ValueTask<bool> CanResumeAsync(string sessionId, string streamId, long afterSequence, CancellationToken cancellationToken)
    {
        if (!_sessions.TryGetValue(sessionId, out var session))
        {
            return ValueTask.FromResult(false);
        }

        lock (session)
        {
            return ValueTask.FromResult(session.Streams.TryGetValue(streamId, out var events) && afterSequence + 1 >= events.FirstKept && afterSequence <= events.LastSequence);
        }
    }

    /// <inheritdoc />
    public ValueTask DeleteSessionAsync(string sessionId, CancellationToken cancellationToken)
    {
        _sessions.TryRemove(sessionId, out _);
        return ValueTask.CompletedTask;
    }

    /// <summary>Sessions with stored events (for tests and diagnostics).</summary>
    internal int SessionCount => _sessions.Count;

    private StreamEvents StreamLocked(SessionEvents session, string streamId, long sequence)
    {
        if (!session.Streams.TryGetValue(streamId, out var events))
        {
            if (session.Streams.Count >= MaxStreamsPerSession)
            {
                ForgetOldestLocked(session);
            }

            // A stream forgotten earlier and written to again keeps only what comes now: resuming from before
            // this point must get 400, not a silent gap.
            events = new StreamEvents { FirstKept = Math.Max(1, sequence), LastSequence = Math.Max(0, sequence - 1) };
            session.Streams[streamId] = events;
            session.Order.Enqueue(streamId);
        }

        return events;
    }

    // The oldest stream goes, except a stream every node writes (the GET stream): it lives as long as the session.
    private static void ForgetOldestLocked(SessionEvents session)
    {
        for (int left = session.Order.Count; left > 0 && session.Order.TryDequeue(out string? oldest); left--)
        {
            if (!session.Appended.ContainsKey(oldest))
            {
                session.Streams.Remove(oldest);
                return;
            }

            session.Order.Enqueue(oldest);
        }
    }

    private void AddLocked(StreamEvents events, long sequence, ReadOnlyMemory<byte> data)
    {
        events.LastSequence = sequence;
        events.Events.Enqueue((sequence, data));
        if (events.Events.Count > MaxEventsPerStream)
        {
            events.FirstKept = events.Events.Dequeue().Sequence + 1;
        }
    }

    private sealed class SessionEvents
    {
        private const int OnceKeysKept = 256;
        private readonly HashSet<string> _onceKeys = new(StringComparer.Ordinal);
        private readonly Queue<string> _onceOrder = new();

        public Dictionary<string, StreamEvents> Streams { get; } = new(StringComparer.Ordinal);

        public Queue<string> Order { get; } = new();

        /// <summary>The last sequence handed out per stream numbered here (<see cref="AppendAsync"/>).</summary>
        public Dictionary<string, long> Appended { get; } = new(StringComparer.Ordinal);

        /// <summary>False when the key was used already (the most recent keys are remembered).</summary>
        public bool UseOnceKey(string key)
        {
            if (!_onceKeys.Add(key))
            {
                return false;
            }

            _onceOrder.Enqueue(key);
            if (_onceOrder.Count > OnceKeysKept)
            {
                _onceKeys.Remove(_onceOrder.Dequeue());
            }

            return true;
        }
    }

    private sealed class StreamEvents
    {
        public Queue<(long Sequence, ReadOnlyMemory<byte> Data)> Events { get; } = new();

        public long FirstKept { get; set; } = 1;

        public long LastSequence { get; set; }
    }
}

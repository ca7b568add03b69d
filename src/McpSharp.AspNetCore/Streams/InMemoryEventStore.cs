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

    /// <summary>Streams kept per session (default 64); the oldest is forgotten first.</summary>
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
            if (!session.Streams.TryGetValue(streamId, out var events))
            {
                if (session.Streams.Count >= MaxStreamsPerSession && session.Order.TryDequeue(out string? oldest))
                {
                    session.Streams.Remove(oldest);
                }

                // A stream forgotten earlier and written to again keeps only what comes now: resuming from before
                // this point must get 400, not a silent gap.
                events = new StreamEvents { FirstKept = Math.Max(1, sequence) };
                session.Streams[streamId] = events;
                session.Order.Enqueue(streamId);
            }

            if (sequence > 0)
            {
                events.LastSequence = sequence;
                events.Events.Enqueue((sequence, data));
                if (events.Events.Count > MaxEventsPerStream)
                {
                    events.FirstKept = events.Events.Dequeue().Sequence + 1;
                }
            }
        }

        return ValueTask.CompletedTask;
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

    private sealed class SessionEvents
    {
        public Dictionary<string, StreamEvents> Streams { get; } = new(StringComparer.Ordinal);

        public Queue<string> Order { get; } = new();
    }

    private sealed class StreamEvents
    {
        public Queue<(long Sequence, ReadOnlyMemory<byte> Data)> Events { get; } = new();

        public long FirstKept { get; set; } = 1;

        public long LastSequence { get; set; }
    }
}

namespace McpSharp.AspNetCore.Streams;

/// <summary>
/// Keeps the events sent on SSE streams so a client can resume a dropped stream with <c>Last-Event-ID</c>
/// (2025-11-25 "Resumability and Redelivery"). Events are addressed by session, stream and a per-stream sequence number
/// starting at 1; sequence 0 registers a stream before its first event. A POST's response stream is written by the one
/// node that serves the POST, which numbers its events (<see cref="StoreAsync"/>); a session's GET stream is one stream
/// written by every node that serves the session, numbered by the store (<see cref="AppendAsync"/>), so a client resumes
/// it on any node with nothing missing. The default is a bounded in-memory store.
/// </summary>
public interface IMcpEventStore
{
    /// <summary>
    /// Stores the event <paramref name="sequence"/> of a stream (0 with empty data registers the stream). Only a
    /// registration may create a session's entry, so late events of a deleted session are not stored again.
    /// </summary>
    ValueTask StoreAsync(string sessionId, string streamId, long sequence, ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>
    /// Appends an event to a stream that several nodes write, with the next sequence number of that stream, assigned
    /// atomically (two nodes never get the same one, and a number is only handed out once the events before it are
    /// stored). With <paramref name="onceKey"/>, an event already appended for the session under that key is not appended
    /// again: every node that serves a session offers it a change announced to all clients, and one copy is kept.
    /// Returns the sequence, or 0 when nothing was appended (the session has no entry, or the key was used).
    /// </summary>
    ValueTask<long> AppendAsync(string sessionId, string streamId, ReadOnlyMemory<byte> data, string? onceKey, CancellationToken cancellationToken);

    /// <summary>The sequence of a stream's last event (0 before its first one), or -1 when the stream is unknown.</summary>
    ValueTask<long> LastSequenceAsync(string sessionId, string streamId, CancellationToken cancellationToken);

    /// <summary>
    /// Replays, in order, the stored events of a stream with a sequence greater than <paramref name="afterSequence"/>
    /// and at most <paramref name="upToSequence"/>. Returns false when the stream is unknown or events after
    /// <paramref name="afterSequence"/> are no longer kept (the client then gets 400).
    /// </summary>
    ValueTask<bool> ReplayAsync(string sessionId, string streamId, long afterSequence, long upToSequence, Func<long, ReadOnlyMemory<byte>, ValueTask> write, CancellationToken cancellationToken);

    /// <summary>
    /// True when the stream is known and every event after <paramref name="afterSequence"/> is still kept, so a resume
    /// from there loses nothing. Checked before a resuming connection takes over a stream.
    /// </summary>
    ValueTask<bool> CanResumeAsync(string sessionId, string streamId, long afterSequence, CancellationToken cancellationToken);

    /// <summary>Forgets everything of a session (it was deleted or expired).</summary>
    ValueTask DeleteSessionAsync(string sessionId, CancellationToken cancellationToken);
}

using System.IO.Pipelines;
using System.Threading.Channels;
using McpSharp.JsonRpc;
using McpSharp.AspNetCore.Sessions;
using McpSharp.Protocol;
using Microsoft.AspNetCore.Http;

namespace McpSharp.AspNetCore.Streams;

/// <summary>
/// One logical SSE stream of a session: the response stream of a POST, or the standalone GET stream. It outlives its
/// HTTP connections: events get ids <c>&lt;stream&gt;:&lt;seq&gt;</c> (unique in the session, encoding their stream,
/// HTTP-RESUME-ID-*) and go to the event store, so a client whose connection dropped resumes with GET and
/// <c>Last-Event-ID</c> and gets this stream's events only (HTTP-RESUME-NO-CROSS). At most one connection serves the
/// stream; a new one takes over from the old (a proxy that cut the first must never lock the client out).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The SemaphoreSlim never allocates a wait handle (only WaitAsync is used), so it holds nothing to dispose.")]
internal sealed class SseStream : MessageRoute
{
    // Sequences of queued items that are not stored events: a keep-alive comment, and a message the store could not number.
    private const long KeepAlive = -1;
    private const long Unnumbered = -2;

    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly StreamContext _context;
    private readonly bool _replayOnly;
    private readonly bool _shared;
    private Channel<SseEvent>? _live;
    private Channel<SseEvent>? _pollClose;
    private long _sequence;
    private long _lastWrite;
    private int _responsesOutstanding;
    private bool _completed;

    public SseStream(StreamContext context, string id, int expectedResponses, bool replayOnly = false)
    {
        _context = context;
        Id = id;
        _responsesOutstanding = expectedResponses;
        _replayOnly = replayOnly;

        // The GET stream, when events are stored, is one stream for every node that serves the session: the store numbers
        // its events, and each node delivers them in order (see AppendSharedAsync, DeliverStoredAsync).
        _shared = expectedResponses < 0 && !replayOnly && context.Store is not null;
    }

    /// <summary>The stream id (the part of event ids before the colon).</summary>
    public string Id { get; }

    /// <summary>True for the standalone GET stream, which never completes.</summary>
    public bool IsStandalone => _responsesOutstanding < 0;

    /// <summary>True when the stream's events are stored, so a closed connection can be resumed.</summary>
    public bool CanResume => _context.Store is not null;

    /// <summary>True when a connection is serving the stream.</summary>
    public bool IsAttached => Volatile.Read(ref _live) is not null;

    /// <summary>Raised once every request this stream carries has been answered (or will get no answer).</summary>
    public event Action<SseStream>? Completed;

    /// <summary>Registers the stream in the event store, so that even an empty stream can be resumed.</summary>
    public ValueTask RegisterAsync(CancellationToken cancellationToken) =>
        _context.Store is { } store && !_context.SessionClosed.IsCancellationRequested
            ? store.StoreAsync(_context.SessionId, Id, 0, ReadOnlyMemory<byte>.Empty, cancellationToken)
            : ValueTask.CompletedTask;

    public override async ValueTask SendAsync(JsonRpcMessage message, CancellationToken cancellationToken)
    {
        byte[] data = JsonRpcMessageWriter.ToUtf8Bytes(message);
        if (_shared)
        {
            await AppendSharedAsync(data, onceKey: null, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await AppendAsync(data, message is JsonRpcResponse or JsonRpcErrorResponse, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Stores an event of the shared GET stream (numbered by the store; with <paramref name="onceKey"/>, only if no node
    /// stored that key for the session yet) and gives it to the connection here, if there is one. Returns its sequence (0
    /// when nothing was stored) and whether a connection here took it; if not, the caller tells the node that holds the
    /// stream (<see cref="DeliverStoredAsync"/> there), and if nobody does, the client gets it when it resumes.
    /// </summary>
    public async ValueTask<(long Sequence, bool Delivered)> AppendSharedAsync(byte[] data, string? onceKey, CancellationToken cancellationToken)
    {
        if (_context.SessionClosed.IsCancellationRequested)
        {
            return (0, false);
        }

        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            long sequence;
            try
            {
                sequence = await _context.Store!.AppendAsync(_context.SessionId, Id, data, onceKey, cancellationToken).ConfigureAwait(false);
            }
            catch (McpBackendUnavailableException) when (onceKey is null)
            {
                // The store that numbers the stream is away: a connection here still gets the message, without an id
                // (nothing to resume from); with none here, it is lost like any message sent while the backend is down.
                return (0, Volatile.Read(ref _live) is { } live && live.Writer.TryWrite(new SseEvent(Unnumbered, data, false)));
            }

            return sequence == 0 ? (0, false) : (sequence, await DeliverLockedAsync(sequence, data, cancellationToken).ConfigureAwait(false));
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>An event of the shared GET stream that another node stored: to the connection here, in order, once.</summary>
    public async ValueTask DeliverStoredAsync(long sequence, byte[] data, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await DeliverLockedAsync(sequence, data, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>A request of this stream was cancelled or cut off: it counts as answered, with nothing to send.</summary>
    public override void OnRequestEndedWithoutResponse(RequestId id) => _ = AppendAsync(null, countsAsResponse: true, CancellationToken.None).AsTask();

    /// <summary>
    /// Serves the stream on one HTTP connection until the stream completes (its responses are all delivered), the
    /// connection drops, another connection takes over, or the session ends. When <paramref name="resumeAfter"/> is
    /// given, replays the stored events after that sequence number first; returns false, with nothing written and the
    /// current connection untouched, when those are not kept (the caller answers 400). <paramref name="attached"/> runs
    /// once the connection is attached, even if the client is already gone, so that what it starts (the POST's
    /// requests) always runs and cannot produce an event this connection misses.
    /// </summary>
    public async Task<bool> ServeAsync(HttpContext http, long? resumeAfter, TimeSpan? primingRetry, Func<ValueTask>? attached, CancellationToken sessionClosed)
    {
        if (resumeAfter is { } requested
            && (_context.Store is not { } checkStore || !await checkStore.CanResumeAsync(_context.SessionId, Id, requested, sessionClosed).ConfigureAwait(false)))
        {
            return false;
        }

        var channel = Channel.CreateBounded<SseEvent>(new BoundedChannelOptions(_context.Options.StreamQueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        long snapshot = long.MaxValue;
        bool completed = true;
        if (!_replayOnly)
        {
            await _writeLock.WaitAsync(sessionClosed).ConfigureAwait(false);
            try
            {
                // Attach under the write lock: every event up to `snapshot` is in the store, every later one reaches `channel`.
                if (_shared)
                {
                    // Other nodes number this stream too: the store knows where it stands. What is stored up to here is
                    // replayed (when resuming); anything later reaches this node, which is listening by now.
                    _sequence = Math.Max(0, await _context.Store!.LastSequenceAsync(_context.SessionId, Id, sessionClosed).ConfigureAwait(false));
                }

                Interlocked.Exchange(ref _live, channel)?.Writer.TryComplete();
                snapshot = _sequence;
                completed = _completed;
            }
            finally
            {
                _writeLock.Release();
            }
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, sessionClosed);
        bool connected = true;
        try
        {
            try
            {
                if (resumeAfter is { } after && !await ReplayAsync(http, after, snapshot, linked.Token).ConfigureAwait(false))
                {
                    return false;
                }

                SseFraming.StartResponse(http);
                if (primingRetry is { } retry && _context.Store is not null)
                {
                    // SSE-PRIME: an id and empty data, so the client can resume even before the first real event.
                    SseFraming.WriteEvent(http.Response.BodyWriter, EventId(snapshot), retry, ReadOnlySpan<byte>.Empty);
                }

                await http.Response.BodyWriter.FlushAsync(http.RequestAborted).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException)
            {
                connected = false;
            }

            if (attached is not null)
            {
                await attached().ConfigureAwait(false);
            }

            if (connected && !completed)
            {
                await PumpAsync(http, channel, linked.Token).ConfigureAwait(false);
            }

            return true;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The client went away or the session ended. Not a cancellation of any request (SSE-DISCONNECT-NOT-CANCEL).
            return true;
        }
        finally
        {
            Disconnect(channel);
        }
    }

    /// <summary>
    /// Closes the current connection without ending the stream (SSE-POLL-CLOSE): the client is told to come back after
    /// the retry interval and resumes with GET and <c>Last-Event-ID</c>.
    /// </summary>
    public void CloseConnection()
    {
        var live = Volatile.Read(ref _live);
        if (live is not null)
        {
            Volatile.Write(ref _pollClose, live);
            live.Writer.TryComplete();
        }
    }

    /// <summary>Ends the current connection, if any, without a retry hint: the client went on elsewhere.</summary>
    public void Release()
    {
        if (Volatile.Read(ref _live) is { } live)
        {
            Disconnect(live);
        }
    }

    private async ValueTask AppendAsync(byte[]? data, bool countsAsResponse, CancellationToken cancellationToken)
    {
        if (_context.SessionClosed.IsCancellationRequested)
        {
            // The session is gone: nothing more is delivered or stored.
            return;
        }

        bool completes = false;
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_completed)
            {
                return;
            }

            if (countsAsResponse && !IsStandalone && --_responsesOutstanding == 0)
            {
                _completed = completes = true;
            }

            var evt = new SseEvent(data is null ? _sequence : ++_sequence, data, completes);
            if (data is not null && _context.Store is { } store)
            {
                try
                {
                    await store.StoreAsync(_context.SessionId, Id, evt.Sequence, data, cancellationToken).ConfigureAwait(false);
                }
                catch (McpBackendUnavailableException)
                {
                    // The shared store is away: the event still goes to the connection (the client gets its answer
                    // now); only a resume from before it would miss it, and is refused rather than silently short.
                }
            }

            if (Volatile.Read(ref _live) is { } live && !live.Writer.TryWrite(evt))
            {
                if (_context.Store is not null)
                {
                    // The reader is too slow: end its connection instead of holding every writer (and any takeover)
                    // behind it; the event is stored, and the client resumes from where it got to.
                    Disconnect(live);
                }
                else
                {
                    // Nothing to resume from: the sender waits for the reader (backpressure).
                    try
                    {
                        await live.Writer.WriteAsync(evt, cancellationToken).ConfigureAwait(false);
                    }
                    catch (ChannelClosedException)
                    {
                    }
                }
            }
        }
        finally
        {
            _writeLock.Release();
        }

        if (completes)
        {
            Completed?.Invoke(this);
        }
    }

    // Under the write lock: a stored event of the shared stream goes to the connection here after the stored events it
    // has not had yet (stored by other nodes whose notice is still on its way, or was lost); one it had is skipped.
    private async ValueTask<bool> DeliverLockedAsync(long sequence, byte[] data, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _live) is not { } live)
        {
            _sequence = Math.Max(_sequence, sequence);
            return false;
        }

        if (sequence > _sequence + 1)
        {
            bool kept = await _context.Store!.ReplayAsync(_context.SessionId, Id, _sequence, sequence - 1, (missed, missedData) =>
            {
                if (missed > _sequence)
                {
                    Offer(live, new SseEvent(missed, missedData.ToArray(), false));
                    _sequence = missed;
                }

                return ValueTask.CompletedTask;
            }, cancellationToken).ConfigureAwait(false);
            if (!kept || _sequence != sequence - 1)
            {
                // Events this connection never got are gone from the store: end it rather than leave a silent gap (its
                // resume then gets 400 and the client starts over).
                Disconnect(live);
                _sequence = Math.Max(_sequence, sequence);
                return false;
            }
        }

        if (sequence > _sequence)
        {
            Offer(live, new SseEvent(sequence, data, false));
            _sequence = sequence;
        }

        return true;
    }

    // A stored event to the connection; a reader too slow to take it loses its connection (it resumes from the store).
    private void Offer(Channel<SseEvent> live, SseEvent evt)
    {
        if (!live.Writer.TryWrite(evt))
        {
            Disconnect(live);
        }
    }

    private void Disconnect(Channel<SseEvent> live)
    {
        Interlocked.CompareExchange(ref _live, null, live);
        live.Writer.TryComplete();
    }

    private async Task<bool> ReplayAsync(HttpContext http, long after, long upTo, CancellationToken cancellationToken)
    {
        return await _context.Store!.ReplayAsync(_context.SessionId, Id, after, upTo, (sequence, data) =>
        {
            SseFraming.StartResponse(http);
            SseFraming.WriteEvent(http.Response.BodyWriter, EventId(sequence), null, data.Span);
            return ValueTask.CompletedTask;
        }, cancellationToken).ConfigureAwait(false);
    }

    // Event ids exist only when events can be resumed (there is a store).
    private string? EventId(long sequence) => _context.Store is null ? null : $"{Id}:{sequence}";

    // Flushes use the request's own token only: a flush cancelled by any other token makes Kestrel abort the response,
    // and an answer already queued would be cut off. The session ending only stops the waiting: what is queued by then
    // still goes out (nothing accepted is lost), and the stream ends.
    private async Task PumpAsync(HttpContext http, Channel<SseEvent> channel, CancellationToken waiting)
    {
        var writer = http.Response.BodyWriter;
        var aborted = http.RequestAborted;
        var reader = channel.Reader;
        while (true)
        {
            if (WriteQueued(writer, reader))
            {
                // SSE-TERMINATE-AFTER-RESP: the last response is out; the stream ends.
                await writer.FlushAsync(aborted).ConfigureAwait(false);
                return;
            }

            // Nothing more right now: push out what was written (one flush for a burst), then wait.
            await writer.FlushAsync(aborted).ConfigureAwait(false);
            Volatile.Write(ref _lastWrite, _context.Time.GetTimestamp());
            bool more;
            try
            {
                more = await reader.WaitToReadAsync(waiting).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
            {
                WriteQueued(writer, reader);
                await writer.FlushAsync(aborted).ConfigureAwait(false);
                return;
            }

            if (!more)
            {
                if (ReferenceEquals(Volatile.Read(ref _pollClose), channel))
                {
                    // SSE-RETRY-SEND: tell the client when to come back before closing early.
                    SseFraming.WriteRetry(writer, _context.Options.RetryInterval);
                    await writer.FlushAsync(aborted).ConfigureAwait(false);
                }

                // Otherwise another connection took over, the reader was too slow, or the session ended.
                return;
            }
        }
    }

    // Writes the events queued now; true when the stream's last response was among them.
    private bool WriteQueued(PipeWriter writer, ChannelReader<SseEvent> reader)
    {
        while (reader.TryRead(out var evt))
        {
            if (evt.Data is null)
            {
                if (evt.Sequence == KeepAlive)
                {
                    SseFraming.WriteKeepAlive(writer);
                }
            }
            else
            {
                SseFraming.WriteEvent(writer, evt.Sequence == Unnumbered ? null : EventId(evt.Sequence), null, evt.Data);
            }

            if (evt.Final)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Queues a keep-alive comment when the connection has written nothing for <paramref name="interval"/>.</summary>
    public void SendKeepAliveIfIdle(TimeSpan interval)
    {
        if (Volatile.Read(ref _live) is { } live && _context.Time.GetElapsedTime(Volatile.Read(ref _lastWrite)) >= interval)
        {
            Volatile.Write(ref _lastWrite, _context.Time.GetTimestamp());
            live.Writer.TryWrite(new SseEvent(KeepAlive, null, false));
        }
    }

    private readonly record struct SseEvent(long Sequence, byte[]? Data, bool Final);
}

/// <summary>What a stream needs from its session: ids, options, the store, the clock, and whether the session ended.</summary>
internal sealed record StreamContext(string SessionId, McpHttpOptions Options, IMcpEventStore? Store, TimeProvider Time, CancellationToken SessionClosed);

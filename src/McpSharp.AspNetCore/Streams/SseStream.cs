using System.Threading.Channels;
using McpSharp.JsonRpc;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace McpSharp.AspNetCore.Streams;

/// <summary>
/// One logical SSE stream of a session: the response stream of a POST, or the standalone GET stream. It outlives its
/// HTTP connections: events get ids <c>&lt;stream&gt;:&lt;seq&gt;</c> (unique in the session, encoding their stream,
/// HTTP-RESUME-ID-*) and go to the event store, so a client whose connection dropped resumes with GET and
/// <c>Last-Event-ID</c> and gets this stream's events only (HTTP-RESUME-NO-CROSS). At most one connection serves the
/// stream; a new one takes over from the old (a proxy that cut the first must never lock the client out).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The SemaphoreSlim never allocates a wait handle (only WaitAsync is used), so it holds nothing to dispose.")]
internal sealed class SseStream : IResponseSink
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly StreamContext _context;
    private Channel<SseEvent>? _live;
    private Channel<SseEvent>? _pollClose;
    private long _sequence;
    private int _responsesOutstanding;
    private bool _completed;
    private readonly bool _replayOnly;

    public SseStream(StreamContext context, string id, int expectedResponses, bool replayOnly = false)
    {
        _context = context;
        Id = id;
        _responsesOutstanding = expectedResponses;
        _replayOnly = replayOnly;
    }

    /// <summary>The stream id (the part of event ids before the colon).</summary>
    public string Id { get; }

    /// <summary>True for the standalone GET stream, which never completes.</summary>
    public bool IsStandalone => _responsesOutstanding < 0;

    /// <summary>True when the stream's events are stored, so a closed connection can be resumed.</summary>
    public bool CanResume => _context.Store is not null;

    /// <summary>True when a connection is serving the stream.</summary>
    public bool IsAttached => Volatile.Read(ref _live) is not null;

    /// <summary>Raised once every response this stream carries has been produced.</summary>
    public event Action<SseStream>? Completed;

    /// <summary>Registers the stream in the event store, so that even an empty stream can be resumed.</summary>
    public ValueTask RegisterAsync(CancellationToken cancellationToken) =>
        _context.Store is { } store ? store.StoreAsync(_context.SessionId, Id, 0, ReadOnlyMemory<byte>.Empty, cancellationToken) : ValueTask.CompletedTask;

    public async ValueTask WriteAsync(JsonRpcMessage message, CancellationToken cancellationToken)
    {
        byte[] data = JsonRpcMessageWriter.ToUtf8Bytes(message);
        bool isResponse = message is JsonRpcResponse or JsonRpcErrorResponse;
        Channel<SseEvent>? live;
        SseEvent evt;
        bool completes = false;
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_completed)
            {
                return;
            }

            if (isResponse && !IsStandalone && --_responsesOutstanding == 0)
            {
                _completed = completes = true;
            }

            evt = new SseEvent(++_sequence, data, completes);
            if (_context.Store is { } store)
            {
                await store.StoreAsync(_context.SessionId, Id, evt.Sequence, data, cancellationToken).ConfigureAwait(false);
            }

            live = _live;
            if (live is not null)
            {
                try
                {
                    // Bounded: a slow reader makes the sender wait (backpressure), never grows memory.
                    await live.Writer.WriteAsync(evt, cancellationToken).ConfigureAwait(false);
                }
                catch (ChannelClosedException)
                {
                    // The connection went away meanwhile; the event is in the store (if any) for a resume.
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

    /// <summary>
    /// Serves the stream on one HTTP connection until the stream completes (its responses are all delivered), the
    /// connection drops, another connection takes over, or the session ends. When <paramref name="resumeAfter"/> is
    /// given, replays the stored events after that sequence number first; returns false, with nothing written, when
    /// those are not kept (the caller answers 400). <paramref name="attached"/> runs once the connection is attached,
    /// so that what it starts cannot produce an event this connection misses.
    /// </summary>
    public async Task<bool> ServeAsync(HttpContext http, long? resumeAfter, TimeSpan? primingRetry, Func<ValueTask>? attached, CancellationToken sessionClosed)
    {
        var options = _context.Options;
        var channel = Channel.CreateBounded<SseEvent>(new BoundedChannelOptions(options.StreamQueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        long snapshot;
        bool completed;
        if (_replayOnly)
        {
            (snapshot, completed) = (long.MaxValue, true);
        }
        else
        {
            await _writeLock.WaitAsync(http.RequestAborted).ConfigureAwait(false);
            try
            {
                // Attach under the write lock: every event up to `snapshot` is in the store, every later one reaches `channel`.
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
        try
        {
            if (resumeAfter is { } after)
            {
                if (_context.Store is not { } store)
                {
                    return false;
                }

                bool kept = await store.ReplayAsync(_context.SessionId, Id, after, snapshot, (sequence, data) =>
                {
                    StartStream(http);
                    SseFraming.WriteEvent(http.Response.BodyWriter, EventId(sequence), null, data.Span);
                    return ValueTask.CompletedTask;
                }, linked.Token).ConfigureAwait(false);
                if (!kept)
                {
                    return false;
                }
            }

            StartStream(http);
            if (primingRetry is { } retry && _context.Store is not null)
            {
                // SSE-PRIME: an id and empty data, so the client can resume even before the first real event.
                SseFraming.WriteEvent(http.Response.BodyWriter, EventId(snapshot), retry, ReadOnlySpan<byte>.Empty);
            }

            await http.Response.BodyWriter.FlushAsync(linked.Token).ConfigureAwait(false);
            if (attached is not null)
            {
                await attached().ConfigureAwait(false);
            }

            if (!completed)
            {
                await PumpAsync(http, channel, linked.Token).ConfigureAwait(false);
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            // The client went away or the session ended. Not a cancellation of any request (SSE-DISCONNECT-NOT-CANCEL).
            return true;
        }
        finally
        {
            Interlocked.CompareExchange(ref _live, null, channel);
            channel.Writer.TryComplete();
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

    /// <summary>Ends the current connection (the session is going away).</summary>
    public void Detach() => Volatile.Read(ref _live)?.Writer.TryComplete();

    // Event ids exist only when events can be resumed (there is a store).
    private string? EventId(long sequence) => _context.Store is null ? null : $"{Id}:{sequence}";

    private static void StartStream(HttpContext http)
    {
        if (http.Response.HasStarted)
        {
            return;
        }

        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache,no-store";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
    }

    private async Task PumpAsync(HttpContext http, Channel<SseEvent> channel, CancellationToken cancellationToken)
    {
        var writer = http.Response.BodyWriter;
        var reader = channel.Reader;
        var keepAlive = _context.Options.KeepAliveInterval;
        Task<bool>? pendingWait = null;
        while (true)
        {
            var wait = pendingWait is null ? reader.WaitToReadAsync(cancellationToken) : new ValueTask<bool>(pendingWait);
            pendingWait = null;
            bool more;
            if (keepAlive is { } interval && !wait.IsCompleted)
            {
                // Keep-alive comments while idle (timed by the TimeProvider), so proxies keep the connection open.
                var waitTask = wait.AsTask();
                using var stopDelay = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var delay = Task.Delay(interval, _context.Time, stopDelay.Token);
                if (await Task.WhenAny(waitTask, delay).ConfigureAwait(false) != waitTask)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    SseFraming.WriteKeepAlive(writer);
                    await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
                    pendingWait = waitTask;
                    continue;
                }

                await stopDelay.CancelAsync().ConfigureAwait(false);
                more = await waitTask.ConfigureAwait(false);
            }
            else
            {
                more = await wait.ConfigureAwait(false);
            }

            if (!more)
            {
                if (ReferenceEquals(Volatile.Read(ref _pollClose), channel))
                {
                    // SSE-RETRY-SEND: tell the client when to come back before closing early.
                    SseFraming.WriteRetry(writer, _context.Options.RetryInterval);
                    await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
                }

                // Otherwise another connection took over, or the session ended.
                return;
            }

            while (reader.TryRead(out var evt))
            {
                SseFraming.WriteEvent(writer, EventId(evt.Sequence), null, evt.Data);
                if (evt.Final)
                {
                    // SSE-TERMINATE-AFTER-RESP: the last response is out; the stream ends.
                    await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
                    return;
                }
            }

            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private readonly record struct SseEvent(long Sequence, byte[] Data, bool Final);
}

/// <summary>What a stream needs from its session: ids, options, the store and the clock.</summary>
internal sealed record StreamContext(string SessionId, McpHttpOptions Options, IMcpEventStore? Store, TimeProvider Time);

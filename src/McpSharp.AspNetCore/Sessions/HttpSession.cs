using System.Collections.Concurrent;
using System.Globalization;
using McpSharp.AspNetCore.Streams;
using McpSharp.JsonRpc;
using McpSharp.Server;

namespace McpSharp.AspNetCore.Sessions;

/// <summary>
/// One stateful HTTP session as this node serves it: the MCP session and its engine, the session's SSE streams here, the
/// user it is bound to, and its work (a session with a request in flight or an open stream is never idle). What the
/// client negotiated lives in the directory's record; this node serves from it and stores every change there.
/// </summary>
internal sealed class HttpSession : IAsyncDisposable, IKeepAlive
{
    private readonly StreamContext _streams;
    private readonly CancellationTokenSource _closed = new();
    private readonly ClusterRouter _router;
    private readonly Action<string> _idle;
    private McpSessionState _known;
    private ConcurrentDictionary<string, SseStream>? _postStreams;
    private SseStream? _standalone;
    private int _work;
    private int _nextStreamId;
    private int _disposed;

    /// <param name="record">The session as the directory has it.</param>
    /// <param name="server">The server.</param>
    /// <param name="options">The endpoint's options.</param>
    /// <param name="store">The event store, when streams can be resumed.</param>
    /// <param name="time">The clock.</param>
    /// <param name="router">Routes what this node cannot deliver itself; its tag goes in front of the ids this node makes.</param>
    /// <param name="busy">Born busy: whoever creates it ends this first work (see <see cref="LiveSessions.TryCreateAsync"/>).</param>
    /// <param name="stateChanged">Stores what the client changed (the directory).</param>
    /// <param name="idle">Tells the directory the session is idle again once its last work ended.</param>
    public HttpSession(McpSessionRecord record, McpServer server, McpHttpOptions options, IMcpEventStore? store, TimeProvider time, ClusterRouter router, bool busy, Func<McpSessionState, CancellationToken, ValueTask> stateChanged, Action<string> idle)
    {
        _work = busy ? 1 : 0;
        _router = router;
        _idle = idle;

        _known = record.State;
        string id = record.Id;
        Id = id;
        UserKey = record.UserKey;
        _streams = new StreamContext(id, options, store, time, _closed.Token);
        var sessionOptions = new McpSessionOptions
        {
            SessionId = id,
            RequestIdPrefix = router.RequestIdPrefix,
            State = record.State.ProtocolVersion is null ? null : record.State,
            StateChanged = (state, ct) =>
            {
                Volatile.Write(ref _known, state);
                return stateChanged(state, ct);
            },
            Announce = AnnounceAsync,
        };
        Mcp = server.CreateSession(new HttpServerTransport(WriteUnroutedAsync), sessionOptions);

        // Registers the session (and its GET stream) with the event store, so even a session that only ever opens a GET
        // stream can resume it.
        _ = store?.StoreAsync(id, StandaloneId, 0, ReadOnlyMemory<byte>.Empty, CancellationToken.None).AsTask();
        Mcp.Open();
    }

    public string Id { get; }

    public McpSession Mcp { get; }

    /// <summary>The authenticated user the session was created for (SEC-SESS-BIND-USER), or null.</summary>
    public string? UserKey { get; }

    public TimeProvider Time => _streams.Time;

    /// <summary>Cancelled when the session ends: every stream connection closes.</summary>
    public CancellationToken Closed => _closed.Token;

    public bool HasWork => Volatile.Read(ref _work) > 0;

    public bool IsClosed => Volatile.Read(ref _disposed) != 0;

    /// <summary>Serves later requests with the state the directory has now (another node may have changed it).</summary>
    public void Refresh(McpSessionState state)
    {
        if (!ReferenceEquals(state, Volatile.Read(ref _known)))
        {
            Volatile.Write(ref _known, state);
            Mcp.ApplyState(state);
        }
    }

    /// <summary>Marks work in flight (a POST being answered, an open stream); dispose the result when it ends.</summary>
    public WorkScope BeginWork()
    {
        Interlocked.Increment(ref _work);
        return new WorkScope(this);
    }

    /// <summary>The work the session was born with (its initialize), so it cannot be evicted before it starts.</summary>
    public WorkScope CreationWork() => new(this);

    /// <summary>A new response stream for a POST carrying <paramref name="expectedResponses"/> requests.</summary>
    public async ValueTask<SseStream> CreatePostStreamAsync(int expectedResponses, CancellationToken cancellationToken)
    {
        string id = _router.Node + "." + Interlocked.Increment(ref _nextStreamId).ToString(CultureInfo.InvariantCulture);
        var stream = new SseStream(_streams, id, expectedResponses);
        var streams = _postStreams ?? Interlocked.CompareExchange(ref _postStreams, new(StringComparer.Ordinal), null) ?? _postStreams!;
        streams[id] = stream;
        stream.Completed += s => streams.TryRemove(s.Id, out _);
        await stream.RegisterAsync(cancellationToken).ConfigureAwait(false);
        return stream;
    }

    /// <summary>
    /// The id of the session's GET stream: one stream whichever node holds it, numbered by the event store, so a client
    /// resumes it on any node with everything any node sent it meanwhile.
    /// </summary>
    public const string StandaloneId = "0";

    /// <summary>The standalone stream (GET), created on first use.</summary>
    public SseStream Standalone =>
        Volatile.Read(ref _standalone) ?? Interlocked.CompareExchange(ref _standalone, new SseStream(_streams, StandaloneId, -1), null) ?? _standalone!;

    /// <summary>The event store, when streams can be resumed.</summary>
    public IMcpEventStore? Store => _streams.Store;

    /// <summary>Gets what this node cannot deliver itself to the node that can.</summary>
    public ClusterRouter Router => _router;

    /// <summary>The SSE connections this node serves for the session (its GET stream, POST answers still streaming).</summary>
    public int OpenStreams => (HoldsStandalone ? 1 : 0) + (_postStreams?.Values.Count(static s => s.IsAttached) ?? 0);

    /// <summary>True while a client connection serves this session's GET stream on this node.</summary>
    public bool HoldsStandalone => Volatile.Read(ref _standalone) is { IsAttached: true };

    /// <summary>A live stream by id (POST streams until their responses are out, and the standalone stream).</summary>
    public SseStream? FindStream(string streamId) =>
        streamId == StandaloneId ? Standalone : _postStreams is { } streams && streams.TryGetValue(streamId, out var s) ? s : null;

    /// <summary>
    /// A message the client POSTed: here, unless it answers a request another node sent (that node's handler waits for
    /// it, and gets it over the bus).
    /// </summary>
    public ValueTask ReceiveAsync(JsonRpcMessage message, CancellationToken cancellationToken) =>
        _router.BelongsElsewhere(message, out string owner)
            ? _router.SendToOwnerAsync(owner, Id, message, cancellationToken)
            : Mcp.ProcessMessageAsync(message, cancellationToken);

    /// <summary>Sends a keep-alive comment on every stream of this session whose connection has been idle too long.</summary>
    public void SendKeepAliveIfIdle(TimeSpan interval)
    {
        Volatile.Read(ref _standalone)?.SendKeepAliveIfIdle(interval);
        if (_postStreams is { } streams)
        {
            foreach (var stream in streams.Values)
            {
                stream.SendKeepAliveIfIdle(interval);
            }
        }
    }

    /// <summary>A stream that is no longer live, rebuilt to replay what the store kept of it and then end.</summary>
    public SseStream ReplayOnlyStream(string streamId) => new(_streams, streamId, 0, replayOnly: true);

    /// <summary>The session ended (deleted, expired or evicted): closes it here and forgets its stored events.</summary>
    public async ValueTask EndAsync()
    {
        if (await CloseAsync().ConfigureAwait(false) && _streams.Store is { } store)
        {
            await store.DeleteSessionAsync(Id, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>This node lets go of the session (shutdown), which other nodes may go on serving: its events stay.</summary>
    public async ValueTask DisposeAsync() => await CloseAsync().ConfigureAwait(false);

    /// <summary>
    /// This node stops (graceful shutdown): running requests get up to <paramref name="grace"/> to answer on streams
    /// still open, the rest are answered with a shutting-down error; then the streams close. Other nodes may go on
    /// serving the session.
    /// </summary>
    public async ValueTask ShutdownAsync(TimeSpan grace)
    {
        if (!IsClosed)
        {
            await Mcp.ShutdownAsync(grace).ConfigureAwait(false);
        }

        await CloseAsync().ConfigureAwait(false);
    }

    private async ValueTask<bool> CloseAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return false;
        }

        // Streams first (their connections end), then the engine (running handlers are cancelled).
        await _closed.CancelAsync().ConfigureAwait(false);
        await Mcp.DisposeAsync().ConfigureAwait(false);

        // _closed is not disposed: requests that resolved this session just before it ended may still read its token.
        return true;
    }

    // Messages not tied to a request go to the GET stream (HTTP-GET-UNRELATED). With an event store, the stream is stored
    // first, whoever holds it: the connection here takes it, else the node holding the stream is told, else it waits in
    // the store for the client's resume. (A server-to-client request nobody holds a stream for fails at once instead of
    // waiting for its timeout; the client may still see it when it resumes, and its late answer is ignored.) Without a
    // store: here, else to the node holding the stream, else nowhere.
    internal async ValueTask WriteUnroutedAsync(JsonRpcMessage message, CancellationToken cancellationToken)
    {
        var standalone = Standalone;
        bool reachedClient;
        if (_streams.Store is null)
        {
            reachedClient = standalone.IsAttached || await _router.PublishToStreamAsync(Id, 0, JsonRpcMessageWriter.ToUtf8Bytes(message), cancellationToken).ConfigureAwait(false) > 0;
            if (standalone.IsAttached)
            {
                await standalone.SendAsync(message, cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            reachedClient = await AppendToStreamAsync(JsonRpcMessageWriter.ToUtf8Bytes(message), onceKey: null, cancellationToken).ConfigureAwait(false);
        }

        if (message is JsonRpcRequest && !reachedClient)
        {
            throw new InvalidOperationException("No stream to the client is open: the client has no GET stream for requests that are not tied to one of its own.");
        }
    }

    // A change announced to every client: every node serving the session offers it; the store keeps one copy (by the
    // announcement's id), which goes to the stream wherever it is held, or waits for the client's resume. Without a store
    // only the node holding the stream delivers it.
    private async ValueTask AnnounceAsync(McpAnnouncement announcement, JsonRpcNotification notification)
    {
        var standalone = Standalone;
        if (_streams.Store is null)
        {
            if (standalone.IsAttached)
            {
                await standalone.SendAsync(notification, CancellationToken.None).ConfigureAwait(false);
            }

            return;
        }

        await AppendToStreamAsync(JsonRpcMessageWriter.ToUtf8Bytes(notification), announcement.Id, CancellationToken.None).ConfigureAwait(false);
    }

    // Stores an event in the shared GET stream; the connection here takes it, else the node holding the stream is told.
    // True when a connection (here or there) got it; false when it waits in the store for the client's resume.
    private async ValueTask<bool> AppendToStreamAsync(byte[] data, string? onceKey, CancellationToken cancellationToken)
    {
        var (sequence, delivered) = await Standalone.AppendSharedAsync(data, onceKey, cancellationToken).ConfigureAwait(false);
        return delivered || (sequence > 0 && await _router.PublishToStreamAsync(Id, sequence, data, cancellationToken).ConfigureAwait(false) > 0);
    }

    internal readonly struct WorkScope(HttpSession session) : IDisposable
    {
        public void Dispose()
        {
            // The last work ended: the session is idle from now (no longer busy in the directory).
            if (Interlocked.Decrement(ref session._work) == 0)
            {
                session._idle(session.Id);
            }
        }
    }
}

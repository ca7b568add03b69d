using System.Collections.Concurrent;
using McpSharp.AspNetCore.Streams;
using McpSharp.Server;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace McpSharp.AspNetCore.Sessions;

/// <summary>
/// The sessions this node is serving, as live objects (engine, streams, work), next to the directory that says which
/// sessions exist. A request finds its session through <see cref="GetAsync"/>, which asks the directory every time: a
/// session the directory no longer has is dropped here and answered 404, whichever node removed it; a session the
/// directory has but this node does not hold yet (another node began it) is served from the directory's record. That one
/// touch per request is also how the directory learns of activity: a request that will work (a POST, a GET stream)
/// marks the session busy for <see cref="BusyGrace"/>; while the work lasts this node renews the mark every half of it,
/// and when it ends marks the session idle from then (off the request's path). A busy session neither expires nor is
/// evicted. A request costs two directory round trips, one of them before it is served.
/// </summary>
internal sealed partial class LiveSessions : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, HttpSession> _sessions = new(StringComparer.Ordinal);
    private readonly IMcpSessionDirectory _directory;
    private readonly McpServer _server;
    private readonly McpHttpOptions _options;
    private readonly IMcpEventStore? _events;
    private readonly KeepAliveHeartbeat _heartbeat;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HttpTransportMetrics _metrics;
    private readonly ITimer _workTouch;

    public LiveSessions(IMcpSessionDirectory directory, IMcpMessageBus bus, McpServer server, IOptions<McpHttpOptions> options, IMcpEventStore events, KeepAliveHeartbeat heartbeat, TimeProvider time, ILoggerFactory loggerFactory, HttpTransportMetrics metrics)
    {
        _directory = directory;
        _server = server;
        _options = options.Value;
        _events = _options.EnableResumability ? events : null;
        _heartbeat = heartbeat;
        _time = time;
        _logger = loggerFactory.CreateLogger("McpSharp.AspNetCore.Sessions");
        _metrics = metrics;
        metrics.Observe(() => (_sessions.Count, _sessions.Values.Sum(static s => s.OpenStreams)));
        Router = new ClusterRouter(bus, server, id => _sessions.TryGetValue(id, out var session) ? session : null, _logger);
        _directory.SessionEnded += OnSessionEnded;
        BusyGrace = TimeSpan.FromSeconds(Math.Clamp(_options.IdleTimeout.TotalSeconds / 10, 1, 10));
        _workTouch = time.CreateTimer(static state => _ = ((LiveSessions)state!).TouchBusyAsync(), this, BusyGrace / 2, BusyGrace / 2);
    }

    /// <summary>Gets what this node cannot deliver itself to the node that can (start it with <see cref="ClusterRouter.StartAsync"/>).</summary>
    public ClusterRouter Router { get; }

    /// <summary>How long a session stays busy after a touch that said so (a tenth of the idle timeout, 1 s to 10 s).</summary>
    public TimeSpan BusyGrace { get; }

    /// <summary>How many sessions this node holds live.</summary>
    public int Count => _sessions.Count;

    /// <summary>The live session with this id on this node, without asking the directory (tests, diagnostics).</summary>
    public bool TryGet(string id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out HttpSession? session) => _sessions.TryGetValue(id, out session);

    /// <summary>
    /// The session, if the directory still has it: live here already, or continued here from its record. Marks it active,
    /// and busy when <paramref name="willWork"/> (the caller serves a POST or a stream) or this node has work for it.
    /// </summary>
    public async ValueTask<HttpSession?> GetAsync(string id, bool willWork, CancellationToken cancellationToken)
    {
        bool busy = willWork || (_sessions.TryGetValue(id, out var held) && held.HasWork);
        var record = await _directory.TouchAsync(id, busy ? BusyGrace : TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            // Gone from the directory: gone here too (its end may not have reached this node yet).
            await DropAsync(id).ConfigureAwait(false);
            return null;
        }

        if (_sessions.TryGetValue(id, out var live) && !live.IsClosed)
        {
            live.Refresh(record.State);
            return live;
        }

        var continued = CreateLive(record, busy: false);
        if (_sessions.GetOrAdd(id, continued) is var winner && ReferenceEquals(winner, continued))
        {
            LogContinued(_logger, id);
            return continued;
        }

        return await DiscardAsync(continued, winner).ConfigureAwait(false);
    }

    /// <summary>
    /// Creates a session, evicting the longest-idle one without work if the limit is reached; null when none can go (the
    /// caller answers 503). The new session counts as busy until its creator disposes <see cref="HttpSession.CreationWork"/>,
    /// so a concurrent initialize cannot evict it before its own initialize ran.
    /// </summary>
    public async ValueTask<HttpSession?> TryCreateAsync(string? userKey, CancellationToken cancellationToken)
    {
        var record = new McpSessionRecord(SessionIds.Create(), userKey, new McpSessionState());
        var session = CreateLive(record, busy: true);
        _sessions[record.Id] = session;
        McpSessionAdmission admission;
        try
        {
            admission = await _directory.AddAsync(record, _options.MaxSessions, CanEvict, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // The directory could not be reached: the session never existed.
            await ForgetAsync(session).ConfigureAwait(false);
            throw;
        }

        if (admission.EvictedId is { } evicted)
        {
            LogEvicted(_logger, evicted);
            _metrics.Evicted("limit");
        }

        if (!admission.Admitted)
        {
            await ForgetAsync(session).ConfigureAwait(false);
            return null;
        }

        LogCreated(_logger, record.Id);
        return session;
    }

    private async ValueTask ForgetAsync(HttpSession session)
    {
        _sessions.TryRemove(new KeyValuePair<string, HttpSession>(session.Id, session));
        _heartbeat.Unregister(session);
        await session.EndAsync().ConfigureAwait(false);
    }

    /// <summary>Ends a session everywhere; false when it was already gone (the caller answers 404).</summary>
    public async ValueTask<bool> TryRemoveAsync(HttpSession session)
    {
        bool removed = await _directory.RemoveAsync(session.Id, CancellationToken.None).ConfigureAwait(false);
        await DropAsync(session.Id).ConfigureAwait(false);
        return removed;
    }

    /// <summary>
    /// Lets go of every session this node holds (graceful shutdown): their streams close here. The directory keeps them:
    /// with a shared directory other nodes go on serving them; with the in-memory one they end with the process.
    /// </summary>
    public async ValueTask CloseAllAsync(TimeSpan grace = default)
    {
        var closing = new List<Task>();
        foreach (var id in _sessions.Keys)
        {
            if (_sessions.TryRemove(id, out var session))
            {
                _heartbeat.Unregister(session);
                closing.Add(grace > TimeSpan.Zero ? session.ShutdownAsync(grace).AsTask() : session.DisposeAsync().AsTask());
            }
        }

        // In parallel: the whole shutdown takes one grace period, not one per session.
        await Task.WhenAll(closing).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        _directory.SessionEnded -= OnSessionEnded;
        await _workTouch.DisposeAsync().ConfigureAwait(false);
        await Router.DisposeAsync().ConfigureAwait(false);
        await CloseAllAsync().ConfigureAwait(false);
    }

    /// <summary>A logging scope naming the session, for every logger of the application's factory.</summary>
    public IDisposable? LogScope(string sessionId) => _logger.BeginScope(new SessionLogScope(sessionId));

    private HttpSession CreateLive(McpSessionRecord record, bool busy)
    {
        var session = new HttpSession(record, _server, _options, _events, _time, Router, busy, (state, ct) => SaveAsync(record, state, ct), id => _ = TouchAsync(id, TimeSpan.Zero));
        _heartbeat.Register(session);
        return session;
    }

    // What the client changed is stored before it hears back, so its next request sees it on any node.
    private async ValueTask SaveAsync(McpSessionRecord record, McpSessionState state, CancellationToken cancellationToken) =>
        await _directory.UpdateAsync(record with { State = state }, cancellationToken).ConfigureAwait(false);

    // Renews a busy mark, or marks idle (a failed touch only means a mark lapses early or late, never a lost session).
    private async Task TouchAsync(string id, TimeSpan busyFor)
    {
        try
        {
            await _directory.TouchAsync(id, busyFor, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogTouchFailed(_logger, id, ex.Message);
        }
    }

    // Sessions with work in flight are kept from expiring while it lasts.
    private async Task TouchBusyAsync()
    {
        foreach (var session in _sessions.Values)
        {
            if (session.HasWork)
            {
                await TouchAsync(session.Id, BusyGrace).ConfigureAwait(false);
            }
        }
    }

    private bool CanEvict(string id) => !_sessions.TryGetValue(id, out var session) || !session.HasWork;

    private void OnSessionEnded(string id) => _ = DropAsync(id);

    // The session ended (anywhere): its live copy here ends too.
    private async Task DropAsync(string id)
    {
        if (_sessions.TryRemove(id, out var session))
        {
            _heartbeat.Unregister(session);
            await session.EndAsync().ConfigureAwait(false);
            LogEnded(_logger, id);
        }
    }

    // Two requests continued the same session at once: one live copy wins.
    private async ValueTask<HttpSession?> DiscardAsync(HttpSession loser, HttpSession winner)
    {
        _heartbeat.Unregister(loser);
        await loser.DisposeAsync().ConfigureAwait(false);
        return winner.IsClosed ? null : winner;
    }

    [LoggerMessage(100, LogLevel.Debug, "Session {SessionId} created.")]
    private static partial void LogCreated(ILogger logger, string sessionId);

    [LoggerMessage(101, LogLevel.Information, "Session {SessionId} ended (deleted, idle, evicted or ended by another node).")]
    private static partial void LogEnded(ILogger logger, string sessionId);

    [LoggerMessage(102, LogLevel.Information, "Session {SessionId} evicted to make room (session limit reached).")]
    private static partial void LogEvicted(ILogger logger, string sessionId);

    [LoggerMessage(104, LogLevel.Debug, "Session {SessionId} continued on this node from the directory's record (another node began it).")]
    private static partial void LogContinued(ILogger logger, string sessionId);

    [LoggerMessage(103, LogLevel.Debug, "Marking session {SessionId} active failed: {Reason}")]
    private static partial void LogTouchFailed(ILogger logger, string sessionId, string reason);
}

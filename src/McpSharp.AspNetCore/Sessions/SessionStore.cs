using System.Collections.Concurrent;
using McpSharp.AspNetCore.Streams;
using McpSharp.Server;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace McpSharp.AspNetCore.Sessions;

/// <summary>
/// The live stateful sessions, keyed by id (ordinal). Enforces the session limit (evicting the longest-idle session
/// with no work in flight) and ends idle sessions on a <see cref="TimeProvider"/> timer. A session that is deleted,
/// expired or evicted is gone from here at once, so every later request with its id gets 404 (HTTP-SESS-404).
/// </summary>
internal sealed partial class SessionStore : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, HttpSession> _sessions = new(StringComparer.Ordinal);
    private readonly McpServer _server;
    private readonly McpHttpOptions _options;
    private readonly IMcpEventStore? _events;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ITimer _sweeper;
    private readonly KeepAliveHeartbeat _heartbeat;
    private readonly Lock _createGate = new();

    public SessionStore(McpServer server, IOptions<McpHttpOptions> options, IMcpEventStore events, KeepAliveHeartbeat heartbeat, TimeProvider time, ILoggerFactory loggerFactory)
    {
        _server = server;
        _options = options.Value;
        _events = _options.EnableResumability ? events : null;
        _time = time;
        _logger = loggerFactory.CreateLogger("McpSharp.AspNetCore.Sessions");
        var period = TimeSpan.FromSeconds(Math.Clamp(_options.IdleTimeout.TotalSeconds / 10, 1, 60));
        _sweeper = time.CreateTimer(static state => _ = ((SessionStore)state!).SweepAsync(), this, period, period);
        _heartbeat = heartbeat;
    }

    public int Count => _sessions.Count;

    public bool TryGet(string id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out HttpSession? session) => _sessions.TryGetValue(id, out session);

    /// <summary>
    /// Creates a session, evicting one if the limit is reached; null when none can go (the caller answers 503). The new
    /// session counts as busy until its creator disposes <see cref="HttpSession.CreationWork"/>, so a concurrent
    /// initialize cannot evict it before its own initialize ran.
    /// </summary>
    public async ValueTask<HttpSession?> TryCreateAsync(string? userKey)
    {
        HttpSession? evicted = null;
        HttpSession session;
        lock (_createGate)
        {
            if (_sessions.Count >= _options.MaxSessions)
            {
                evicted = _sessions.Values.Where(s => !s.HasWork).MaxBy(s => s.IdleFor);
                if (evicted is null || !_sessions.TryRemove(new KeyValuePair<string, HttpSession>(evicted.Id, evicted)))
                {
                    return null;
                }
            }

            session = new HttpSession(SessionIds.Create(), _server, _options, _events, _time, userKey);
            _sessions[session.Id] = session;
        }

        _heartbeat.Register(session);

        if (evicted is not null)
        {
            LogEvicted(_logger, evicted.Id);
            _heartbeat.Unregister(evicted);
            await evicted.DisposeAsync().ConfigureAwait(false);
        }

        LogCreated(_logger, session.Id);
        return session;
    }

    /// <summary>Ends a session; false when it was already gone (the caller answers 404).</summary>
    public async ValueTask<bool> TryRemoveAsync(HttpSession session)
    {
        if (!_sessions.TryRemove(new KeyValuePair<string, HttpSession>(session.Id, session)))
        {
            return false;
        }

        _heartbeat.Unregister(session);
        await session.DisposeAsync().ConfigureAwait(false);
        return true;
    }

    /// <summary>Ends every session idle for longer than the idle timeout with no work in flight.</summary>
    public async Task SweepAsync()
    {
        foreach (var session in _sessions.Values)
        {
            if (!session.HasWork && session.IdleFor > _options.IdleTimeout && await TryRemoveAsync(session).ConfigureAwait(false))
            {
                LogExpired(_logger, session.Id);
            }
        }
    }

    /// <summary>Ends every session (graceful shutdown): their streams close.</summary>
    public async ValueTask CloseAllAsync()
    {
        foreach (var session in _sessions.Values)
        {
            await TryRemoveAsync(session).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _sweeper.DisposeAsync().ConfigureAwait(false);
        await CloseAllAsync().ConfigureAwait(false);
    }

    [LoggerMessage(100, LogLevel.Debug, "Session {SessionId} created.")]
    private static partial void LogCreated(ILogger logger, string sessionId);

    [LoggerMessage(101, LogLevel.Information, "Session {SessionId} expired after being idle.")]
    private static partial void LogExpired(ILogger logger, string sessionId);

    [LoggerMessage(102, LogLevel.Information, "Session {SessionId} evicted to make room (session limit reached).")]
    private static partial void LogEvicted(ILogger logger, string sessionId);
}

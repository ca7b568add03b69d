using Microsoft.Extensions.Logging;

namespace McpSharp.Client;

/// <summary>
/// Decides when the client starts a new session after the server forgot one (HTTP-SESS-REINIT), and makes sure that
/// happens at most once per lost session: every request that meets the same 404 waits for the same new session. Two
/// guards keep a server that keeps answering 404 from making the client create sessions in a loop:
/// <list type="bullet">
/// <item>a session this type just created must first serve a request: a 404 before that fails the request instead of
/// starting yet another session;</item>
/// <item>at most <see cref="McpClientOptions.MaxSessionRecoveries"/> new sessions within
/// <see cref="McpClientOptions.SessionRecoveryWindow"/>, each after a growing wait; beyond that the request fails.</item>
/// </list>
/// What starting a session means (the handshake, renewing subscriptions, the event) is the client's job.
/// </summary>
internal sealed class SessionRecovery(ISessionTransport transport, Func<string, CancellationToken, Task> startSession, McpClientOptions options, TimeProvider time, CancellationToken stopping)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly Lock _gate = new();
    private readonly Queue<long> _starts = new();
    private Task? _running;
    private string? _runningFor;
    private string? _unproven;

    /// <summary>
    /// Starts a new session in place of the lost one (or joins the start already under way), and completes once it is
    /// ready; completes at once when the session was already replaced. Throws the transport's refusal when the guards
    /// say no, or the failure of the new session's handshake.
    /// </summary>
    public Task RecoverAsync(SessionExpiredException lost, CancellationToken cancellationToken)
    {
        Task running;
        TimeSpan delay;
        lock (_gate)
        {
            if (!string.Equals(transport.SessionId, lost.SessionId, StringComparison.Ordinal))
            {
                // Another request already replaced it: retry on the current session.
                return Task.CompletedTask;
            }

            if (_running is { IsCompleted: false } current && string.Equals(_runningFor, lost.SessionId, StringComparison.Ordinal))
            {
                return current.WaitAsync(cancellationToken);
            }

            if (string.Equals(_unproven, lost.SessionId, StringComparison.Ordinal))
            {
                // The session started for the last loss was refused before it served anything. The next 404 may try again
                // (within the rate limit): each such attempt then needs a request of the application's, never a loop.
                _unproven = null;
                throw lost.Refuse($"The server answered 404 to the first request on session {lost.SessionId}, which it had just created; not starting another one.");
            }

            delay = NextDelay() ?? throw lost.Refuse(
                $"The server forgot the session again: {options.MaxSessionRecoveries} new sessions within {options.SessionRecoveryWindow} is the limit (McpClientOptions.MaxSessionRecoveries), so the request fails instead.");
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _runningFor = lost.SessionId;
            _running = running = started.Task;
            _ = RunAsync(lost.SessionId, delay, started);
        }

        return running.WaitAsync(cancellationToken);
    }

    /// <summary>A request on <paramref name="sessionId"/> got an answer: the session works.</summary>
    public void MarkProven(string? sessionId)
    {
        if (sessionId is null)
        {
            return;
        }

        lock (_gate)
        {
            if (string.Equals(_unproven, sessionId, StringComparison.Ordinal))
            {
                _unproven = null;
            }
        }
    }

    // The wait before the next new session, or null when the limit is reached. Counts the start.
    private TimeSpan? NextDelay()
    {
        long now = time.GetTimestamp();
        while (_starts.TryPeek(out long start) && time.GetElapsedTime(start, now) >= options.SessionRecoveryWindow)
        {
            _starts.Dequeue();
        }

        if (_starts.Count >= options.MaxSessionRecoveries)
        {
            return null;
        }

        var delay = _starts.Count == 0 ? TimeSpan.Zero : options.SessionRecoveryBackoff * Math.Pow(2, _starts.Count - 1);
        _starts.Enqueue(now);
        return delay;
    }

    // Runs apart from the request that asked for it: cancelling that request does not cancel the new session that the
    // other waiting requests need. Bounded in time, and ended when the client is disposed.
    private async Task RunAsync(string lostSessionId, TimeSpan delay, TaskCompletionSource started)
    {
        try
        {
            using var bounded = new CancellationTokenSource(StartTimeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(bounded.Token, stopping);
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, time, linked.Token).ConfigureAwait(false);
            }

            await startSession(lostSessionId, linked.Token).ConfigureAwait(false);
            lock (_gate)
            {
                _unproven = transport.SessionId;
            }

            started.TrySetResult();
        }
        catch (Exception ex)
        {
            started.TrySetException(ex);
        }
    }
}

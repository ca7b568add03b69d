namespace McpSharp.AspNetCore.Sessions;

/// <summary>
/// Where the 2025-era sessions of an endpoint live, for every node that serves it: the in-memory default for one node,
/// a shared backend (Redis) for several, so that any node serves any session. A node keeps live copies of the sessions it
/// serves, but asks the directory on every request, so no node serves a session the directory no longer has (deleted,
/// expired or evicted anywhere: 404 everywhere at once, HTTP-SESS-404). A session expires after
/// <see cref="McpHttpOptions.IdleTimeout"/> without a touch; nodes touch the sessions they have work for.
/// </summary>
public interface IMcpSessionDirectory
{
    /// <summary>
    /// Adds a new session. When <paramref name="maxSessions"/> are there already, first removes the longest-idle session
    /// that <paramref name="canEvict"/> allows (a node says no for a session it has work for); when none, adds nothing.
    /// </summary>
    ValueTask<McpSessionAdmission> AddAsync(McpSessionRecord record, int maxSessions, Func<string, bool> canEvict, CancellationToken cancellationToken);

    /// <summary>
    /// The session, marked active (its idle time starts again); null when it does not exist (any more). A node that has
    /// work for the session (a request in flight, an open stream) says for how long at least, and touches it again before
    /// that ends: the session neither expires nor is evicted meanwhile, whichever node adds sessions.
    /// </summary>
    ValueTask<McpSessionRecord?> TouchAsync(string id, TimeSpan busyFor, CancellationToken cancellationToken);

    /// <summary>Stores what the client changed in the session; false when the session no longer exists.</summary>
    ValueTask<bool> UpdateAsync(McpSessionRecord record, CancellationToken cancellationToken);

    /// <summary>Removes the session; false when it was already gone.</summary>
    ValueTask<bool> RemoveAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Raised with the id of a session that ended by any means and on any node (removed, expired, evicted), so that every
    /// node drops its live copy and closes its streams.
    /// </summary>
    event Action<string>? SessionEnded;
}

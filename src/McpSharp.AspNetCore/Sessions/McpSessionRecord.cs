using McpSharp.Server;

namespace McpSharp.AspNetCore.Sessions;

/// <summary>
/// What every node serving an endpoint knows of a 2025-era session: its id, the user it is bound to
/// (SEC-SESS-BIND-USER), and what the client negotiated and changed (<see cref="McpSessionState"/>).
/// </summary>
/// <param name="Id">The session id (<c>MCP-Session-Id</c>).</param>
/// <param name="UserKey">The authenticated user the session was created for, or null.</param>
/// <param name="State">What the client negotiated and changed.</param>
public sealed record McpSessionRecord(string Id, string? UserKey, McpSessionState State);

/// <summary>The outcome of adding a session to a directory that holds at most a number of them.</summary>
/// <param name="Admitted">False when the directory is full and no session could be evicted (the client gets 503).</param>
/// <param name="EvictedId">The session evicted to make room, if one was.</param>
public readonly record struct McpSessionAdmission(bool Admitted, string? EvictedId);

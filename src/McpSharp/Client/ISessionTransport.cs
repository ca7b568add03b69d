namespace McpSharp.Client;

/// <summary>
/// A transport whose server keeps a session the server may forget (Streamable HTTP, revisions up to 2025-11-25). The
/// transport only reports a lost session; <see cref="McpClient"/> decides whether to start a new one
/// (<see cref="SessionRecovery"/>), so recovery lives in one layer.
/// </summary>
internal interface ISessionTransport
{
    /// <summary>The current session id, or null before <c>initialize</c> (and on transports with no session).</summary>
    string? SessionId { get; }

    /// <summary>
    /// Raised with the session id when the standalone GET stream of that session was answered 404. The session may be
    /// lost, or the server offers no GET stream at all (a POST-only route answers any GET with 404); the transport stops
    /// opening the stream for that session and leaves the verdict to the client.
    /// </summary>
    event Action<string>? StandaloneStreamNotFound;
}

/// <summary>
/// Thrown by <see cref="JsonRpc.IMcpTransport.SendAsync"/> when the server answered 404 to a message that carried
/// <see cref="SessionId"/>: the server forgot the session, and the message was not processed (HTTP-SESS-404).
/// </summary>
internal sealed class SessionExpiredException : IOException
{
    private readonly Func<string, Exception> _refuse;

    /// <param name="sessionId">The session id the refused message carried.</param>
    /// <param name="refuse">Builds the exception the caller gets when no new session is started, from the reason.</param>
    public SessionExpiredException(string sessionId, Func<string, Exception> refuse)
        : base($"The server no longer knows session {sessionId} (404).")
    {
        SessionId = sessionId;
        _refuse = refuse;
    }

    public string SessionId { get; }

    /// <summary>The exception for the caller when the client does not (or cannot) start a new session.</summary>
    public Exception Refuse(string reason) => _refuse(reason);
}

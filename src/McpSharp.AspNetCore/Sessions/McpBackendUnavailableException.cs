namespace McpSharp.AspNetCore.Sessions;

/// <summary>
/// The shared backend of the sessions (a session directory, event store or message bus that lives outside the process)
/// cannot be reached now. The endpoint answers 503 with <c>Retry-After</c>: the request was not served, and the client
/// may send it again once the backend is back (never a 500, never a hang).
/// </summary>
public sealed class McpBackendUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public McpBackendUnavailableException()
        : this("The session backend cannot be reached.")
    {
    }

    /// <summary>Creates the exception.</summary>
    public McpBackendUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public McpBackendUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

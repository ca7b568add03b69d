namespace McpSharp.Client;

/// <summary>
/// A request was sent but its answer can never arrive, and whether the server ran it is unknown: in revision 2026-07-28
/// over HTTP, the answer stream broke before the answer, and streams are not resumed (M26-HTTP-NO-RESUME);
/// <see cref="McpClient"/> sends such a request once more as a new request, and this reaches the caller when that one is
/// lost too. In a 2025 session, the answer stream broke and the server could not resume it (for example the node that
/// ran the request died): the application decides whether to send the request again.
/// </summary>
public sealed class McpRequestLostException : IOException
{
    /// <summary>Creates the exception.</summary>
    public McpRequestLostException()
        : this("The request's answer was lost.")
    {
    }

    /// <summary>Creates the exception.</summary>
    public McpRequestLostException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public McpRequestLostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

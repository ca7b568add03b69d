namespace McpSharp.Client;

/// <summary>
/// A request was sent but its answer can never arrive: in revision 2026-07-28 over HTTP, the answer stream broke before
/// the answer, and streams are not resumed (M26-HTTP-NO-RESUME). <see cref="McpClient"/> sends such a request once more
/// as a new request; this reaches the caller when that one is lost too.
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

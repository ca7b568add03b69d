namespace McpSharp.Protocol;

/// <summary>
/// The peer answered a request this side sent from inside a handler (for example <c>sampling/createMessage</c>
/// during a tool call) with an error, or with a result that does not match the schema. Deliberately not an
/// <see cref="McpProtocolException"/>: the peer's error code says nothing about the request being handled, so it must
/// not be echoed as that request's error (a tool turns it into an <c>isError</c> result; other handlers into -32603).
/// </summary>
public sealed class McpPeerException : Exception
{
    /// <summary>Creates the exception.</summary>
    public McpPeerException(string method, int errorCode, string message, Exception? innerException = null)
        : base($"The peer answered '{method}' with error {errorCode}: {message}", innerException)
    {
        Method = method;
        ErrorCode = errorCode;
    }

    /// <summary>Creates the exception.</summary>
    public McpPeerException() : this("unknown", McpErrorCodes.InternalError, "unknown error") { }

    /// <summary>Creates the exception.</summary>
    public McpPeerException(string message) : base(message) => Method = "unknown";

    /// <summary>Creates the exception.</summary>
    public McpPeerException(string message, Exception innerException) : base(message, innerException) => Method = "unknown";

    /// <summary>The method of the request the peer answered.</summary>
    public string Method { get; }

    /// <summary>The peer's error code.</summary>
    public int ErrorCode { get; }
}

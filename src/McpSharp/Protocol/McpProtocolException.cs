using System.Text.Json;

namespace McpSharp.Protocol;

/// <summary>
/// An error that travels as a JSON-RPC error response: thrown by a handler to answer with <see cref="ErrorCode"/>, and
/// thrown to a caller when the peer answered a request with an error.
/// </summary>
public class McpProtocolException : Exception
{
    /// <summary>Creates an exception with an error code and a concise message.</summary>
    public McpProtocolException(int errorCode, string message, JsonElement? data = null)
        : base(message)
    {
        ErrorCode = errorCode;
        ErrorData = data;
    }

    /// <summary>Creates an exception with an inner exception.</summary>
    public McpProtocolException(int errorCode, string message, Exception innerException)
        : base(message, innerException)
    {
        ErrorCode = errorCode;
    }

    /// <summary>Creates an internal error.</summary>
    public McpProtocolException() : this(McpErrorCodes.InternalError, "Internal error") { }

    /// <summary>Creates an internal error with a message.</summary>
    public McpProtocolException(string message) : this(McpErrorCodes.InternalError, message) { }

    /// <summary>Creates an internal error with a message and an inner exception.</summary>
    public McpProtocolException(string message, Exception innerException) : this(McpErrorCodes.InternalError, message, innerException) { }

    /// <summary>The JSON-RPC error code (see <see cref="McpErrorCodes"/>).</summary>
    public int ErrorCode { get; }

    /// <summary>The error's <c>data</c> member, if any.</summary>
    public JsonElement? ErrorData { get; }
}

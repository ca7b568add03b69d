using System.Text.Json;
using McpSharp.Protocol;

namespace McpSharp.JsonRpc;

/// <summary>
/// A JSON-RPC 2.0 message: <see cref="JsonRpcRequest"/>, <see cref="JsonRpcNotification"/>,
/// <see cref="JsonRpcResponse"/> or <see cref="JsonRpcErrorResponse"/>.
/// </summary>
public abstract class JsonRpcMessage
{
    private protected JsonRpcMessage()
    {
    }

    /// <summary>
    /// Where replies go, on a transport with several streams (see <see cref="MessageRoute"/>); null means "no particular
    /// stream". Set by the transport on what it receives, and by the engine on what it sends for a request.
    /// </summary>
    public MessageRoute? Route { get; set; }
}

/// <summary>A request: expects exactly one response with the same id.</summary>
public sealed class JsonRpcRequest : JsonRpcMessage
{
    /// <summary>Creates a request.</summary>
    public JsonRpcRequest(RequestId id, string method, JsonPayload parameters)
    {
        ArgumentNullException.ThrowIfNull(method);
        Id = id;
        Method = method;
        Params = parameters;
    }

    /// <summary>The id.</summary>
    public RequestId Id { get; }

    /// <summary>The method name.</summary>
    public string Method { get; }

    /// <summary>The <c>params</c> member.</summary>
    public JsonPayload Params { get; }

    /// <summary><c>params._meta.progressToken</c>, when the sender asked for progress (META-PROGRESS).</summary>
    public ProgressToken? ProgressToken { get; init; }

    /// <summary>The raw <c>params._meta</c> object as received (empty when absent); see <see cref="RequestEnvelope"/>.</summary>
    public ReadOnlyMemory<byte> Meta { get; init; }

    /// <summary>
    /// The client context this request is served with, when its transport knows it from the request alone (a stateless
    /// HTTP POST, a 2026-07-28 request whose <c>_meta</c> the transport has validated); null lets the server use the
    /// session's negotiated one.
    /// </summary>
    public McpClientContext? Client { get; set; }

    /// <summary>
    /// Who the transport authenticated for this request (HTTP: the bearer token's principal; its scopes may grow within
    /// a session, so it is per request), or null. Set by the transport, never from the message.
    /// </summary>
    public System.Security.Claims.ClaimsPrincipal? User { get; set; }
}

/// <summary>A notification: has no id and gets no response (BASE-NOTIF-*).</summary>
public sealed class JsonRpcNotification : JsonRpcMessage
{
    /// <summary>Creates a notification.</summary>
    public JsonRpcNotification(string method, JsonPayload parameters)
    {
        ArgumentNullException.ThrowIfNull(method);
        Method = method;
        Params = parameters;
    }

    /// <summary>The method name.</summary>
    public string Method { get; }

    /// <summary>The <c>params</c> member.</summary>
    public JsonPayload Params { get; }

    /// <summary>The raw <c>params._meta</c> object as received (empty when absent).</summary>
    public ReadOnlyMemory<byte> Meta { get; init; }
}

/// <summary>A successful response.</summary>
public sealed class JsonRpcResponse : JsonRpcMessage
{
    /// <summary>Creates a response.</summary>
    public JsonRpcResponse(RequestId id, JsonPayload result)
    {
        Id = id;
        Result = result;
    }

    /// <summary>The id of the request answered.</summary>
    public RequestId Id { get; }

    /// <summary>The <c>result</c> member.</summary>
    public JsonPayload Result { get; }
}

/// <summary>An error response. The id is absent only when the request's id could not be read (BASE-ERR-ID).</summary>
public sealed class JsonRpcErrorResponse : JsonRpcMessage
{
    /// <summary>Creates an error response.</summary>
    public JsonRpcErrorResponse(RequestId? id, JsonRpcError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        Id = id;
        Error = error;
    }

    /// <summary>The id of the request answered, or null (written as <c>"id":null</c>).</summary>
    public RequestId? Id { get; }

    /// <summary>The error.</summary>
    public JsonRpcError Error { get; }
}

/// <summary>The <c>error</c> member of an error response.</summary>
public sealed class JsonRpcError
{
    /// <summary>Creates an error.</summary>
    public JsonRpcError(int code, string message, JsonElement? data = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        Code = code;
        Message = message;
        Data = data;
    }

    /// <summary>The code (see <see cref="McpErrorCodes"/>).</summary>
    public int Code { get; }

    /// <summary>A concise, single-sentence message.</summary>
    public string Message { get; }

    /// <summary>Additional data.</summary>
    public JsonElement? Data { get; }
}

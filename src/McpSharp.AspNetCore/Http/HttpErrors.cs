using McpSharp.JsonRpc;
using McpSharp.Protocol;
using Microsoft.AspNetCore.Http;

namespace McpSharp.AspNetCore.Http;

/// <summary>Writes the one response a failed step owes: an HTTP status with a JSON-RPC error body.</summary>
internal static class HttpErrors
{
    public static Task WriteAsync(HttpContext http, int status, int code, string message, RequestId? id = null, System.Text.Json.JsonElement? data = null)
    {
        (http.RequestServices?.GetService(typeof(HttpDecisionLog)) as HttpDecisionLog)?.Rejected(http, status, code, message);
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        var body = JsonRpcMessageWriter.ToUtf8Bytes(new JsonRpcErrorResponse(id, new JsonRpcError(code, message, data)));
        return http.Response.Body.WriteAsync(body, http.RequestAborted).AsTask();
    }

    public static Task MethodNotAllowedAsync(HttpContext http, string allow)
    {
        http.Response.Headers.Allow = allow;
        return WriteAsync(http, StatusCodes.Status405MethodNotAllowed, McpErrorCodes.ServerError, "Method not allowed.");
    }
}

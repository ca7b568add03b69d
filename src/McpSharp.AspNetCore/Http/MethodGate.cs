using McpSharp.Protocol;
using McpSharp.Transports.Http;
using Microsoft.AspNetCore.Http;

namespace McpSharp.AspNetCore.Http;

/// <summary>
/// Step 3, the HTTP method (HTTP-METHODS): POST always; GET and DELETE only for 2025 clients where there are sessions,
/// so a GET or DELETE that declares revision 2026-07-28 in <c>MCP-Protocol-Version</c> is 405 too (M26-HTTP-GET-DELETE).
/// Anything else is 405, with the <c>Allow</c> header of the mode (<c>POST</c> when no session can be had).
/// </summary>
internal static class MethodGate
{
    public static bool Allows(HttpRequest request, McpHttpOptions options) =>
        HttpMethods.IsPost(request.Method) || (HttpMethods.IsGet(request.Method) || HttpMethods.IsDelete(request.Method)) && !PostOnly(request, options);

    public static Task RejectAsync(HttpContext http, McpHttpOptions options) =>
        HttpErrors.MethodNotAllowedAsync(http, PostOnly(http.Request, options) ? "POST" : "GET, POST, DELETE");

    private static bool PostOnly(HttpRequest request, McpHttpOptions options) =>
        options.Stateless || (options.SessionMode == McpSessionMode.Hybrid && ProtocolVersions.IsPerRequest(request.Headers[McpHttpHeaders.ProtocolVersion].ToString().Trim()));
}

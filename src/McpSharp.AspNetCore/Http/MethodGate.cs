using Microsoft.AspNetCore.Http;

namespace McpSharp.AspNetCore.Http;

/// <summary>
/// Step 3, the HTTP method (HTTP-METHODS): POST always; GET and DELETE only where there are sessions. Anything else is
/// 405 with the <c>Allow</c> header of the mode (stateless: <c>POST</c>, for GET and DELETE too).
/// </summary>
internal static class MethodGate
{
    public static bool Allows(HttpRequest request, McpHttpOptions options) =>
        HttpMethods.IsPost(request.Method) || (!options.Stateless && (HttpMethods.IsGet(request.Method) || HttpMethods.IsDelete(request.Method)));

    public static Task RejectAsync(HttpContext http, McpHttpOptions options) =>
        HttpErrors.MethodNotAllowedAsync(http, options.Stateless ? "POST" : "GET, POST, DELETE");
}

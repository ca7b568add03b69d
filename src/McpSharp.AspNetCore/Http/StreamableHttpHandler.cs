using McpSharp.AspNetCore.Sessions;
using McpSharp.Protocol;
using Microsoft.AspNetCore.Http;

namespace McpSharp.AspNetCore.Http;

/// <summary>
/// The MCP endpoint as a pipeline of steps, each deciding one thing and writing the one answer the spec asks for when it
/// says no: the DNS-rebinding guard (403), the bearer token when the endpoint is a protected resource (401, or 403
/// <c>insufficient_scope</c>), the method gate (405), then the handler of the method.
/// </summary>
internal sealed class StreamableHttpHandler(PostHandler post, GetHandler get, DeleteHandler delete, McpHttpOptions options, Authorization.ProtectedResource? protectedResource = null)
{
    public Task HandleAsync(HttpContext http)
    {
        if (!DnsRebindingGuard.Allows(http, options))
        {
            return HttpErrors.WriteAsync(http, StatusCodes.Status403Forbidden, McpErrorCodes.ServerError, "Forbidden: invalid Origin or Host header.");
        }

        return protectedResource is null ? HandleAdmittedAsync(http) : HandleProtectedAsync(http, protectedResource);
    }

    private async Task HandleProtectedAsync(HttpContext http, Authorization.ProtectedResource resource)
    {
        if (await resource.AdmitAsync(http).ConfigureAwait(false))
        {
            await HandleAdmittedAsync(http).ConfigureAwait(false);
        }
    }

    private Task HandleAdmittedAsync(HttpContext http)
    {
        if (!MethodGate.Allows(http.Request, options))
        {
            return MethodGate.RejectAsync(http, options);
        }

        string method = http.Request.Method;
        var handled = HttpMethods.IsPost(method) ? post.HandleAsync(http)
            : HttpMethods.IsGet(method) ? get.HandleAsync(http)
            : delete.HandleAsync(http);
        return handled.IsCompletedSuccessfully ? handled : WithBackendAsync(http, handled);
    }

    // The sessions' shared backend is down: the request was not served, so the client may retry it (503, never a 500).
    private static async Task WithBackendAsync(HttpContext http, Task handled)
    {
        try
        {
            await handled.ConfigureAwait(false);
        }
        catch (McpBackendUnavailableException) when (!http.Response.HasStarted)
        {
            http.Response.Headers.RetryAfter = "1";
            await HttpErrors.WriteAsync(http, StatusCodes.Status503ServiceUnavailable, McpErrorCodes.ServerError, "Service Unavailable: the session backend cannot be reached; retry shortly.").ConfigureAwait(false);
        }
        catch (McpBackendUnavailableException)
        {
            // Already answering: end the response; the client resumes or retries.
            http.Abort();
        }
    }
}

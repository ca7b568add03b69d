using McpSharp.Protocol;
using Microsoft.AspNetCore.Http;

namespace McpSharp.AspNetCore.Http;

/// <summary>
/// The MCP endpoint as a pipeline of steps, each deciding one thing and writing the one answer the spec asks for when it
/// says no: the DNS-rebinding guard (403), the method gate (405), then the handler of the method. Authentication, when
/// configured, runs before this in the ASP.NET Core pipeline.
/// </summary>
internal sealed class StreamableHttpHandler(PostHandler post, GetHandler get, DeleteHandler delete, McpHttpOptions options)
{
    public Task HandleAsync(HttpContext http)
    {
        if (!DnsRebindingGuard.Allows(http, options))
        {
            return HttpErrors.WriteAsync(http, StatusCodes.Status403Forbidden, McpErrorCodes.ServerError, "Forbidden: invalid Origin or Host header.");
        }

        if (!MethodGate.Allows(http.Request, options))
        {
            return MethodGate.RejectAsync(http, options);
        }

        string method = http.Request.Method;
        return HttpMethods.IsPost(method) ? post.HandleAsync(http)
            : HttpMethods.IsGet(method) ? get.HandleAsync(http)
            : delete.HandleAsync(http);
    }
}

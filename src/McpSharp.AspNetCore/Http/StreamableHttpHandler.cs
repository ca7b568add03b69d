using McpSharp.Protocol;
using Microsoft.AspNetCore.Http;

namespace McpSharp.AspNetCore.Http;

/// <summary>
/// The MCP endpoint: the DNS-rebinding guard (403), then the method gate (405 with <c>Allow</c>), then the handler of
/// the method. Authentication, when configured, runs before this in the ASP.NET Core pipeline.
/// </summary>
internal sealed class StreamableHttpHandler(PostHandler post, GetHandler get, DeleteHandler delete, McpHttpOptions options)
{
    public Task HandleAsync(HttpContext http)
    {
        if (!DnsRebindingGuard.Allows(http, options))
        {
            return HttpErrors.WriteAsync(http, StatusCodes.Status403Forbidden, McpErrorCodes.ServerError, "Forbidden: invalid Origin or Host header.");
        }

        string method = http.Request.Method;
        if (HttpMethods.IsPost(method))
        {
            return post.HandleAsync(http);
        }

        if (HttpMethods.IsGet(method))
        {
            return get.HandleAsync(http);
        }

        if (HttpMethods.IsDelete(method))
        {
            return delete.HandleAsync(http);
        }

        return HttpErrors.MethodNotAllowedAsync(http, options.Stateless ? "POST" : "GET, POST, DELETE");
    }
}

using McpSharp.AspNetCore.Streams;
using McpSharp.Server;

namespace McpSharp.AspNetCore;

/// <summary>HTTP-specific things a handler may do with its request.</summary>
public static class McpRequestContextHttpExtensions
{
    /// <summary>
    /// Closes the SSE connection this request is answered on, without ending its stream (SSE-POLL-CLOSE): the server
    /// sends <c>retry</c>, the client reconnects with GET and <c>Last-Event-ID</c> after that interval, and receives
    /// everything sent meanwhile, including the response. Returns false when the request is not answered on a
    /// resumable SSE stream (stdio, JSON response mode, stateless mode, resumability off).
    /// </summary>
    public static bool CloseSseConnection(this McpRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Route is SseStream { CanResume: true } stream)
        {
            stream.CloseConnection();
            return true;
        }

        return false;
    }
}

using McpSharp.AspNetCore.Sessions;
using McpSharp.JsonRpc;
using McpSharp.Server;

namespace McpSharp.AspNetCore.Http;

/// <summary>
/// The one MCP session that serves every request standing alone: stateless 2025 POSTs and 2026-07-28 requests. It keeps
/// no state of any client (each request brings its own context), request ids need not be unique across POSTs, nothing
/// outlives a POST, and a server-to-client request has nowhere to go (it fails at once). Its concurrency is not capped
/// per session: each POST is one HTTP request, bounded by the server's connection and request limits, and a
/// per-session cap here would throttle every client together.
/// </summary>
internal sealed class SessionlessSession(McpServer server)
{
    private McpSession? _session;

    public McpSession Mcp => LazyInitializer.EnsureInitialized(ref _session, () => server.CreateSession(
        new HttpServerTransport(static (message, _) => message is JsonRpcRequest
            ? throw new InvalidOperationException("A request that stands alone has no stream for server-to-client requests.")
            : ValueTask.CompletedTask),
        new McpSessionOptions
        {
            Stateless = true,
            JsonRpc = new JsonRpcOptions
            {
                MaxConcurrentRequests = int.MaxValue / 2,
                MaxQueuedRequests = 0,
                RequestTimeout = server.Options.JsonRpc.RequestTimeout,
                ShutdownTimeout = server.Options.JsonRpc.ShutdownTimeout,
            },
        }));
}

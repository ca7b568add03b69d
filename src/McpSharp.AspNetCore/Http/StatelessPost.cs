using McpSharp.AspNetCore.Sessions;
using McpSharp.JsonRpc;
using McpSharp.Protocol;
using McpSharp.Server;
using Microsoft.AspNetCore.Http;

namespace McpSharp.AspNetCore.Http;

/// <summary>
/// A POST in stateless mode: no session; the version header (400 when unsupported) is all the client context there is,
/// the batch rule applies to that version, and the request is served on its own.
/// </summary>
internal sealed class StatelessPost(McpServer server, PostDispatcher dispatcher)
{
    private McpSession? _session;

    public async Task HandleAsync(HttpContext http, BodyResult body)
    {
        if (!ProtocolVersionGate.Allows(http.Request, out string? version))
        {
            await ProtocolVersionGate.RejectAsync(http, version, body.FirstRequestId).ConfigureAwait(false);
            return;
        }

        // Each stateless POST carries its own client context: nothing one client sets reaches another.
        var client = McpClientContext.ForStatelessRequest(version);
        if (body.IsBatch && BatchRule.Check(client.ProtocolVersion, body.Messages) is { } refusal)
        {
            await HttpErrors.WriteAsync(http, StatusCodes.Status400BadRequest, refusal.Code, refusal.Message).ConfigureAwait(false);
            return;
        }

        foreach (var message in body.Messages)
        {
            if (message is JsonRpcRequest request)
            {
                request.Client = client;
            }
        }

        await dispatcher.DispatchAsync(http, Session, body, null, client.ProtocolVersion).ConfigureAwait(false);
    }

    // Every stateless POST stands alone, so all of them share one session that keeps no per-request state: request ids
    // need not be unique across POSTs, and nothing outlives a POST (a message not tied to it has nowhere to go; a
    // server-to-client request fails at once).
    // Its concurrency is not capped per session: each stateless POST is one HTTP request, bounded by the server's own
    // connection and request limits, and a per-session cap here would throttle every client together.
    private McpSession Session => LazyInitializer.EnsureInitialized(ref _session, () => server.CreateSession(
        new HttpServerTransport(static (message, _) => message is JsonRpcRequest
            ? throw new InvalidOperationException("Stateless mode has no stream for server-to-client requests.")
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

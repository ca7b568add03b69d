using McpSharp.AspNetCore.Sessions;
using McpSharp.AspNetCore.Streams;
using McpSharp.JsonRpc;
using McpSharp.Protocol;
using McpSharp.Server;
using Microsoft.AspNetCore.Http;

namespace McpSharp.AspNetCore.Http;

/// <summary>
/// A 2026-07-28 POST (its era decided by <see cref="EraClassifier"/>): the mirrored headers (-32020), then the request
/// served on its own with its own client context, on the shared <see cref="SessionlessSession"/>. No session id is read,
/// minted or echoed, <c>Last-Event-ID</c> is ignored (M26-HTTP-SESSION-ID, M26-HTTP-NO-RESUME), and a disconnect
/// cancels the request. A notification is accepted with 202.
/// </summary>
internal sealed class PerRequestPost(McpServer server, SessionlessSession shared, McpHttpOptions options, KeepAliveHeartbeat heartbeat, TimeProvider time)
{
    public async Task HandleAsync(HttpContext http, BodyResult body, McpClientContext? client)
    {
        if (body.Messages[0] is not JsonRpcRequest request)
        {
            // M26-HTTP-NOTIF-202: accepted (2026-07-28 defines no client notifications over HTTP; nothing to do).
            await shared.Mcp.ProcessMessageAsync(body.Messages[0], http.RequestAborted).ConfigureAwait(false);
            http.Response.StatusCode = StatusCodes.Status202Accepted;
            return;
        }

        if (StandardHeaderGate.Check(http.Request, request, server) is { } mismatch)
        {
            await HttpErrors.WriteAsync(http, StatusCodes.Status400BadRequest, mismatch.Code, mismatch.Message, request.Id).ConfigureAwait(false);
            return;
        }

        // The principal binds requestState to the user (M26-MRTR-STATE-REPLAY); the client cannot claim it.
        string? principal = SessionResolver.UserKey(http.User);
        request.Client = principal is null ? client : client! with { Principal = principal };
        var response = new PerRequestResponse(options, time);
        request.Route = response;
        await response.ServeAsync(http, () => shared.Mcp.ProcessMessageAsync(request, http.RequestAborted).AsTask(), heartbeat).ConfigureAwait(false);
    }
}

using McpSharp.JsonRpc;
using McpSharp.Protocol;
using Microsoft.AspNetCore.Http;

namespace McpSharp.AspNetCore.Http;

/// <summary>
/// A POST in stateless mode: no session; the version header (400 when unsupported) is all the client context there is,
/// the batch rule applies to that version, and the request is served on its own.
/// </summary>
internal sealed class StatelessPost(SessionlessSession shared, PostDispatcher dispatcher)
{
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

        await dispatcher.DispatchAsync(http, shared.Mcp, body, null, client.ProtocolVersion).ConfigureAwait(false);
    }
}

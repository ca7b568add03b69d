using McpSharp.Protocol;
using Microsoft.AspNetCore.Http;

namespace McpSharp.AspNetCore.Http;

/// <summary>
/// POST: Accept (406) and Content-Type (415), the body (413, -32700, -32600), then the era (<see cref="EraClassifier"/>):
/// a 2026-07-28 request is served on its own (<see cref="PerRequestPost"/>; in <see cref="McpSessionMode.Stateful"/>
/// mode it gets -32022 naming the handshake versions, so a dual-era client falls back); a 2025-era message goes to
/// its session (<see cref="SessionPost"/>) or, in stateless mode, stands alone (<see cref="StatelessPost"/>). On a
/// protected endpoint, a call of a tool, resource or prompt that needs scopes the token lacks is refused first (403).
/// </summary>
internal sealed class PostHandler(SessionPost sessions, StatelessPost stateless, PerRequestPost perRequest, McpHttpOptions options, Authorization.ProtectedResource? protectedResource = null)
{
    public async Task HandleAsync(HttpContext http)
    {
        if (!await ContentNegotiation.CheckPostAsync(http).ConfigureAwait(false))
        {
            return;
        }

        var body = await JsonRpcBodyReader.ReadAsync(http, options.MaxRequestBodySize).ConfigureAwait(false);
        if (!body.Ok)
        {
            await HttpErrors.WriteAsync(http, body.Status, body.Error!.Code, body.Error.Message, body.ErrorId).ConfigureAwait(false);
            return;
        }

        if (protectedResource is { ChecksCalls: true } && !await protectedResource.AdmitCallsAsync(http, body.Messages).ConfigureAwait(false))
        {
            return;
        }

        if (http.User.Identity?.IsAuthenticated == true && body.Messages.Any(static m => m is McpSharp.JsonRpc.JsonRpcRequest))
        {
            // Handlers and the server's access filter see who sent each request (McpRequestContext.User), with the
            // per-primitive policies it satisfies on a protected endpoint.
            var user = protectedResource is null ? http.User : await protectedResource.Access.UserAsync(http).ConfigureAwait(false);
            foreach (var message in body.Messages)
            {
                if (message is McpSharp.JsonRpc.JsonRpcRequest request)
                {
                    request.User = user;
                }
            }
        }

        var era = EraClassifier.Classify(http.Request, body);
        if (era.Error is { } refusal)
        {
            await HttpErrors.WriteAsync(http, StatusCodes.Status400BadRequest, refusal.Code, refusal.Message, era.ErrorId, refusal.Data).ConfigureAwait(false);
            return;
        }

        if (era.IsPerRequest && options.SessionMode == McpSessionMode.Stateful)
        {
            var downgrade = McpErrors.UnsupportedProtocolVersion(ProtocolVersions.V20260728, ProtocolVersions.Handshake, "This endpoint serves sessions: start one with initialize (supported: " + string.Join(", ", ProtocolVersions.Handshake) + ").");
            await HttpErrors.WriteAsync(http, StatusCodes.Status400BadRequest, downgrade.Code, downgrade.Message, body.FirstRequestId, downgrade.Data).ConfigureAwait(false);
            return;
        }

        await (era.IsPerRequest ? perRequest.HandleAsync(http, body, era.Client)
            : options.Stateless ? stateless.HandleAsync(http, body)
            : sessions.HandleAsync(http, body)).ConfigureAwait(false);
    }
}

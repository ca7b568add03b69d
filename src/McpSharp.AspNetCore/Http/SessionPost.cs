using McpSharp.AspNetCore.Sessions;
using McpSharp.AspNetCore.Streams;
using McpSharp.JsonRpc;
using McpSharp.Protocol;
using McpSharp.Transports.Http;
using Microsoft.AspNetCore.Http;

namespace McpSharp.AspNetCore.Http;

/// <summary>
/// A POST of a 2025-era client with sessions: <c>initialize</c> without a session id creates one (step 6); everything
/// else goes through the <see cref="SessionResolver"/> (steps 7 and 8) and the batch rule, then to the dispatcher.
/// </summary>
internal sealed class SessionPost(LiveSessions sessions, SessionResolver resolver, PostDispatcher dispatcher)
{
    public async Task HandleAsync(HttpContext http, BodyResult body)
    {
        var initialize = body.Initialize;
        if (initialize is not null && body.IsBatch)
        {
            await RejectBatchAsync(http, BatchRule.Check(null, body.Messages)!, body.FirstRequestId).ConfigureAwait(false);
            return;
        }

        if (initialize is not null && string.IsNullOrEmpty(http.Request.Headers[McpHttpHeaders.SessionId]))
        {
            if (!ProtocolVersionGate.Allows(http.Request, out string? version))
            {
                await ProtocolVersionGate.RejectAsync(http, version, initialize.Id).ConfigureAwait(false);
                return;
            }

            await InitializeAsync(http, initialize).ConfigureAwait(false);
            return;
        }

        // Every other POST, and an initialize that carries a (stale) session id, goes through the resolver.
        var session = await resolver.ResolveAsync(http, body.FirstRequestId).ConfigureAwait(false);
        if (session is null)
        {
            return;
        }

        using var scope = resolver.LogScope(session);

        if (initialize is not null)
        {
            await HttpErrors.WriteAsync(http, StatusCodes.Status400BadRequest, McpErrorCodes.InvalidRequest, "Invalid Request: the session is already initialized.", initialize.Id).ConfigureAwait(false);
            return;
        }

        if (body.IsBatch && BatchRule.Check(session.Mcp.ProtocolVersion, body.Messages) is { } refusal)
        {
            await RejectBatchAsync(http, refusal, null).ConfigureAwait(false);
            return;
        }

        using var work = session.BeginWork();
        await dispatcher.DispatchAsync(http, session.Mcp, body, session, session.Mcp.ProtocolVersion).ConfigureAwait(false);
    }

    private static Task RejectBatchAsync(HttpContext http, JsonRpcError refusal, RequestId? id) =>
        HttpErrors.WriteAsync(http, StatusCodes.Status400BadRequest, refusal.Code, refusal.Message, id);

    private async Task InitializeAsync(HttpContext http, JsonRpcRequest initialize)
    {
        var session = await sessions.TryCreateAsync(SessionResolver.UserKey(http.User), http.RequestAborted).ConfigureAwait(false);
        if (session is null)
        {
            http.Response.Headers.RetryAfter = "5";
            await HttpErrors.WriteAsync(http, StatusCodes.Status503ServiceUnavailable, McpErrorCodes.ServerError, "Service Unavailable: the server has too many sessions; retry later.", initialize.Id).ConfigureAwait(false);
            return;
        }

        using var scope = resolver.LogScope(session);
        JsonRpcMessage response;
        using (session.CreationWork())
        {
            var sink = new JsonResponseSink(1, static (_, _) => ValueTask.CompletedTask);
            initialize.Route = sink;
            using var ended = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, session.Closed);
            IReadOnlyList<JsonRpcMessage> responses;
            try
            {
                await session.Mcp.ProcessMessageAsync(initialize, ended.Token).ConfigureAwait(false);
                responses = await sink.Responses.WaitAsync(ended.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                responses = [];
            }

            if (responses.Count == 0)
            {
                // The client left, or the session was evicted before its initialize ran: nobody will ever know its id.
                await sessions.TryRemoveAsync(session).ConfigureAwait(false);
                if (!http.RequestAborted.IsCancellationRequested)
                {
                    await SessionResolver.NotFoundAsync(http, initialize.Id).ConfigureAwait(false);
                }

                return;
            }

            response = responses[0];
        }

        if (response is JsonRpcErrorResponse error)
        {
            // A failed initialize leaves no session behind.
            await sessions.TryRemoveAsync(session).ConfigureAwait(false);
            await HttpErrors.WriteAsync(http, StatusCodes.Status400BadRequest, error.Error.Code, error.Error.Message, initialize.Id).ConfigureAwait(false);
            return;
        }

        // HTTP-SESS-ASSIGN: the id travels on the response that carries the InitializeResult.
        http.Response.Headers[McpHttpHeaders.SessionId] = session.Id;
        await dispatcher.WriteSingleAsync(http, response).ConfigureAwait(false);
    }
}

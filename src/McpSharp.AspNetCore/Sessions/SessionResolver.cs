using System.Security.Claims;
using McpSharp.AspNetCore.Http;
using McpSharp.Protocol;
using McpSharp.Transports.Http;
using Microsoft.AspNetCore.Http;

namespace McpSharp.AspNetCore.Sessions;

/// <summary>
/// Steps 7 and 8, and the only way from an <c>MCP-Session-Id</c> header to a session, for POST, GET and DELETE alike:
/// missing -> 400; unknown, deleted, expired or evicted -> 404 -32001 "Session not found" (a terminated session is
/// indistinguishable from one that never existed, HTTP-SESS-404); bound to another user -> 403 (SEC-SESS-BIND-USER);
/// then <c>MCP-Protocol-Version</c> present and unsupported -> 400. It is also the one writer of the 404: a session that
/// ends while a request is being served is reported here too.
/// </summary>
internal sealed class SessionResolver(LiveSessions sessions)
{
    /// <summary>Resolves the session and checks the version header, or writes the answer and returns null.</summary>
    /// <summary>A logging scope naming the session (<c>McpSessionId</c>) for everything logged while its request is handled.</summary>
    public IDisposable? LogScope(HttpSession session) => sessions.LogScope(session.Id);

    public async Task<HttpSession?> ResolveAsync(HttpContext http, RequestId? requestId)
    {
        string? id = http.Request.Headers[McpHttpHeaders.SessionId];
        if (string.IsNullOrEmpty(id))
        {
            await HttpErrors.WriteAsync(http, StatusCodes.Status400BadRequest, McpErrorCodes.ServerError, "Bad Request: Mcp-Session-Id header is required", requestId).ConfigureAwait(false);
            return null;
        }

        // POST and GET go on to work in the session (DELETE does not): it is busy from this one touch on.
        var session = await sessions.GetAsync(id, willWork: !HttpMethods.IsDelete(http.Request.Method), http.RequestAborted).ConfigureAwait(false);
        if (session is null || session.IsClosed)
        {
            await NotFoundAsync(http, requestId).ConfigureAwait(false);
            return null;
        }

        if (!string.Equals(session.UserKey, UserKey(http.User), StringComparison.Ordinal))
        {
            await HttpErrors.WriteAsync(http, StatusCodes.Status403Forbidden, McpErrorCodes.ServerError, "Forbidden: the authenticated user does not match the user who started the session.", requestId).ConfigureAwait(false);
            return null;
        }

        if (!ProtocolVersionGate.Allows(http.Request, out string? version))
        {
            await ProtocolVersionGate.RejectAsync(http, version, requestId).ConfigureAwait(false);
            return null;
        }

        http.Response.Headers[McpHttpHeaders.SessionId] = session.Id;
        return session;
    }

    /// <summary>
    /// HTTP-SESS-404: the session does not exist (any more) for this request, found here or while the request was being
    /// served (deleted, expired or evicted meanwhile).
    /// </summary>
    public static Task NotFoundAsync(HttpContext http, RequestId? requestId) =>
        HttpErrors.WriteAsync(http, StatusCodes.Status404NotFound, McpErrorCodes.SessionNotFound, "Session not found", requestId);

    /// <summary>
    /// The user a session (or a task) is bound to: authentication type, issuer when the token names one (the same subject
    /// from two authorization servers is two users), and subject; null when not authenticated.
    /// </summary>
    public static string? UserKey(ClaimsPrincipal user)
    {
        if (user.Identity is not { IsAuthenticated: true } identity)
        {
            return null;
        }

        string? subject = user.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? user.FindFirst("sub")?.Value ?? identity.Name;
        return user.FindFirst("iss")?.Value is { } issuer
            ? $"{identity.AuthenticationType}:{issuer.Length}:{issuer}:{subject}"
            : $"{identity.AuthenticationType}:{subject}";
    }
}

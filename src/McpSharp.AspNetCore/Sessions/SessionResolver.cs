using System.Security.Claims;
using McpSharp.AspNetCore.Http;
using McpSharp.Protocol;
using McpSharp.Transports.Http;
using Microsoft.AspNetCore.Http;

namespace McpSharp.AspNetCore.Sessions;

/// <summary>
/// Step 7, and the only way from an <c>MCP-Session-Id</c> header to a session, for POST, GET and DELETE alike:
/// missing -> 400; unknown, deleted, expired or evicted -> 404 -32001 "Session not found" (a terminated session is
/// indistinguishable from one that never existed, HTTP-SESS-404); bound to another user -> 403 (SEC-SESS-BIND-USER).
/// </summary>
internal sealed class SessionResolver(SessionStore store)
{
    /// <summary>Resolves the session, or writes the response the spec asks for and returns null.</summary>
    public async Task<HttpSession?> ResolveAsync(HttpContext http, RequestId? requestId)
    {
        string? id = http.Request.Headers[McpHttpHeaders.SessionId];
        if (string.IsNullOrEmpty(id))
        {
            await HttpErrors.WriteAsync(http, StatusCodes.Status400BadRequest, McpErrorCodes.ServerError, "Bad Request: Mcp-Session-Id header is required", requestId).ConfigureAwait(false);
            return null;
        }

        if (!store.TryGet(id, out var session) || session.IsClosed)
        {
            await HttpErrors.SessionNotFoundAsync(http, requestId).ConfigureAwait(false);
            return null;
        }

        if (!string.Equals(session.UserKey, UserKey(http.User), StringComparison.Ordinal))
        {
            await HttpErrors.WriteAsync(http, StatusCodes.Status403Forbidden, McpErrorCodes.ServerError, "Forbidden: the authenticated user does not match the user who started the session.", requestId).ConfigureAwait(false);
            return null;
        }

        http.Response.Headers[McpHttpHeaders.SessionId] = session.Id;
        return session;
    }

    /// <summary>
    /// Steps 7 and 8 for GET and DELETE: the session (400/404/403), then <c>MCP-Protocol-Version</c> (400). Writes the
    /// answer and returns null when either fails.
    /// </summary>
    public async Task<HttpSession?> ResolveWithVersionAsync(HttpContext http)
    {
        var session = await ResolveAsync(http, null).ConfigureAwait(false);
        if (session is not null && !ProtocolVersionGate.Allows(http.Request, out string? version))
        {
            await ProtocolVersionGate.RejectAsync(http, version).ConfigureAwait(false);
            return null;
        }

        return session;
    }

    /// <summary>The user a session is bound to: authentication type and subject, or null when not authenticated.</summary>
    public static string? UserKey(ClaimsPrincipal user)
    {
        if (user.Identity is not { IsAuthenticated: true } identity)
        {
            return null;
        }

        string? subject = user.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? user.FindFirst("sub")?.Value ?? identity.Name;
        return $"{identity.AuthenticationType}:{subject}";
    }
}

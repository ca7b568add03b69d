using McpSharp.AspNetCore.Sessions;
using Microsoft.AspNetCore.Http;

namespace McpSharp.AspNetCore.Http;

/// <summary>
/// DELETE: ends a live session (200) and everything it holds; the session is then unknown, so a second DELETE and any
/// later POST or GET with its id get 404 (HTTP-SESS-DELETE, HTTP-SESS-404).
/// </summary>
internal sealed class DeleteHandler(LiveSessions sessions, SessionResolver resolver)
{
    public async Task HandleAsync(HttpContext http)
    {
        var session = await resolver.ResolveAsync(http, null).ConfigureAwait(false);
        if (session is null)
        {
            return;
        }

        using var scope = resolver.LogScope(session);

        if (!await sessions.TryRemoveAsync(session).ConfigureAwait(false))
        {
            // Deleted concurrently: for this request it no longer exists.
            await SessionResolver.NotFoundAsync(http, null).ConfigureAwait(false);
            return;
        }

        http.Response.StatusCode = StatusCodes.Status200OK;
    }
}

using System.Globalization;
using McpSharp.AspNetCore.Sessions;
using McpSharp.Protocol;
using McpSharp.Transports.Http;
using Microsoft.AspNetCore.Http;

namespace McpSharp.AspNetCore.Http;

/// <summary>
/// GET: the standalone SSE stream for messages unrelated to any request (a new GET takes over from an earlier one), or,
/// with <c>Last-Event-ID</c>, the resumption of a dropped stream: its events after that id, that stream only, then live
/// (HTTP-RESUME-*). The GET stream is one stream whichever node serves it, so its resume works on any node; a POST's
/// stream that another node wrote is replayed from the event store. An unknown or expired <c>Last-Event-ID</c> gets 400.
/// </summary>
internal sealed class GetHandler(SessionResolver resolver)
{
    public async Task HandleAsync(HttpContext http)
    {
        if (!await ContentNegotiation.CheckGetAsync(http).ConfigureAwait(false))
        {
            return;
        }

        var session = await resolver.ResolveAsync(http, null).ConfigureAwait(false);
        if (session is null)
        {
            return;
        }

        using var work = session.BeginWork();
        string? lastEventId = http.Request.Headers[McpHttpHeaders.LastEventId];
        if (string.IsNullOrEmpty(lastEventId))
        {
            await ServeStandaloneAsync(http, session, resumeAfter: null).ConfigureAwait(false);
            return;
        }

        int colon = lastEventId.LastIndexOf(':');
        if (colon <= 0 || !long.TryParse(lastEventId.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out long sequence))
        {
            await InvalidEventIdAsync(http).ConfigureAwait(false);
            return;
        }

        string streamId = lastEventId[..colon];
        bool served;
        if (session.FindStream(streamId) is { IsStandalone: true })
        {
            served = await ServeStandaloneAsync(http, session, sequence).ConfigureAwait(false);
        }
        else if (session.FindStream(streamId) is { } live)
        {
            served = await live.ServeAsync(http, sequence, primingRetry: null, attached: null, session.Closed).ConfigureAwait(false);
        }
        else
        {
            served = await session.ReplayOnlyStream(streamId).ServeAsync(http, sequence, primingRetry: null, attached: null, session.Closed).ConfigureAwait(false);
        }

        if (!served && !http.Response.HasStarted)
        {
            await InvalidEventIdAsync(http).ConfigureAwait(false);
        }
    }

    // The session's GET stream on this node; while it is served here, what other nodes send the session's stream comes here.
    private static async Task<bool> ServeStandaloneAsync(HttpContext http, HttpSession session, long? resumeAfter)
    {
        await using var held = await session.Router.HoldStreamAsync(session, http.RequestAborted).ConfigureAwait(false);
        return await session.Standalone.ServeAsync(http, resumeAfter, primingRetry: null, attached: null, session.Closed).ConfigureAwait(false);
    }

    private static Task InvalidEventIdAsync(HttpContext http) =>
        HttpErrors.WriteAsync(http, StatusCodes.Status400BadRequest, McpErrorCodes.ServerError, "Bad Request: the Last-Event-ID is unknown or expired.");
}

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
internal sealed class GetHandler(SessionResolver resolver, McpHttpOptions options)
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

        using var scope = resolver.LogScope(session);

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
        else if (!await IsOrphanedAsync(session, streamId, sequence, http.RequestAborted).ConfigureAwait(false))
        {
            served = await session.ReplayOnlyStream(streamId).ServeAsync(http, sequence, primingRetry: null, attached: null, session.Closed).ConfigureAwait(false);
        }
        else
        {
            served = false;
        }

        if (!served && !http.Response.HasStarted)
        {
            await InvalidEventIdAsync(http).ConfigureAwait(false);
        }
    }

    // The session's GET stream on this node; while it is served here, what other nodes send the session's stream comes here.
    // Primed like a POST's stream (SSE-PRIME): a client that has had no event on it yet still gets an id to resume from,
    // so what is sent while it reconnects (perhaps to another node) is not lost.
    private async Task<bool> ServeStandaloneAsync(HttpContext http, HttpSession session, long? resumeAfter)
    {
        await using var held = await session.Router.HoldStreamAsync(session, http.RequestAborted).ConfigureAwait(false);
        TimeSpan? priming = ProtocolVersions.SupportsSsePolling(session.Mcp.ProtocolVersion) ? options.RetryInterval : null;
        return await session.Standalone.ServeAsync(http, resumeAfter, priming, attached: null, session.Closed).ConfigureAwait(false);
    }

    // A stream another node wrote (a POST's), whose node is gone, with nothing kept after the client's event: its answer
    // will never come. 400 at once tells the client the request is lost, instead of an empty replay it would resume again
    // and again.
    private static async ValueTask<bool> IsOrphanedAsync(HttpSession session, string streamId, long after, CancellationToken cancellationToken) =>
        session.Store is { } store
        && await store.LastSequenceAsync(session.Id, streamId, cancellationToken).ConfigureAwait(false) <= after
        && !await session.Router.IsStreamWriterAliveAsync(streamId, cancellationToken).ConfigureAwait(false);

    private static Task InvalidEventIdAsync(HttpContext http) =>
        HttpErrors.WriteAsync(http, StatusCodes.Status400BadRequest, McpErrorCodes.ServerError, "Bad Request: the Last-Event-ID is unknown or expired.");
}

using System.Globalization;
using McpSharp.AspNetCore.Sessions;
using McpSharp.Protocol;
using McpSharp.Transports.Http;
using Microsoft.AspNetCore.Http;

namespace McpSharp.AspNetCore.Http;

/// <summary>
/// GET: the standalone SSE stream for messages unrelated to any request (a new GET takes over from an earlier one), or,
/// with <c>Last-Event-ID</c>, the resumption of a dropped stream: its events after that id, that stream only, then live
/// (HTTP-RESUME-*). An unknown or expired <c>Last-Event-ID</c> gets 400.
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
            await session.Standalone.ServeAsync(http, resumeAfter: null, primingRetry: null, attached: null, session.Closed).ConfigureAwait(false);
            return;
        }

        int colon = lastEventId.LastIndexOf(':');
        if (colon <= 0 || !long.TryParse(lastEventId.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out long sequence))
        {
            await InvalidEventIdAsync(http).ConfigureAwait(false);
            return;
        }

        string streamId = lastEventId[..colon];
        var stream = session.FindStream(streamId) ?? session.ReplayOnlyStream(streamId);
        if (!await stream.ServeAsync(http, sequence, primingRetry: null, attached: null, session.Closed).ConfigureAwait(false) && !http.Response.HasStarted)
        {
            await InvalidEventIdAsync(http).ConfigureAwait(false);
        }
    }

    private static Task InvalidEventIdAsync(HttpContext http) =>
        HttpErrors.WriteAsync(http, StatusCodes.Status400BadRequest, McpErrorCodes.ServerError, "Bad Request: the Last-Event-ID is unknown or expired.");
}

using McpSharp.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace McpSharp.AspNetCore.Http;

/// <summary>Step 4: the Accept (406) and Content-Type (415) gates (HTTP-POST-ACCEPT, HTTP-GET-ACCEPT).</summary>
internal static class ContentNegotiation
{
    /// <summary>A POST that accepts both answer types and sends JSON; false after writing the 406 or 415.</summary>
    public static async ValueTask<bool> CheckPostAsync(HttpContext http)
    {
        if (!PostAccepts(http.Request))
        {
            await HttpErrors.WriteAsync(http, StatusCodes.Status406NotAcceptable, McpErrorCodes.ServerError, "Not Acceptable: Client must accept both application/json and text/event-stream").ConfigureAwait(false);
            return false;
        }

        if (!IsJson(http.Request))
        {
            await HttpErrors.WriteAsync(http, StatusCodes.Status415UnsupportedMediaType, McpErrorCodes.ServerError, "Unsupported Media Type: Content-Type must be application/json").ConfigureAwait(false);
            return false;
        }

        return true;
    }

    /// <summary>A GET that accepts an event stream; false after writing the 406.</summary>
    public static async ValueTask<bool> CheckGetAsync(HttpContext http)
    {
        if (!GetAccepts(http.Request))
        {
            await HttpErrors.WriteAsync(http, StatusCodes.Status406NotAcceptable, McpErrorCodes.ServerError, "Not Acceptable: Client must accept text/event-stream").ConfigureAwait(false);
            return false;
        }

        return true;
    }

    /// <summary>A POST must accept both <c>application/json</c> and <c>text/event-stream</c> (wildcards count).</summary>
    private static bool PostAccepts(HttpRequest request) =>
        Accepts(request, "application", "json") && Accepts(request, "text", "event-stream");

    /// <summary>A GET must accept <c>text/event-stream</c>.</summary>
    private static bool GetAccepts(HttpRequest request) => Accepts(request, "text", "event-stream");

    /// <summary>The body must be JSON: <c>application/json</c>, parameters allowed.</summary>
    private static bool IsJson(HttpRequest request) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
        && type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);

    private static bool Accepts(HttpRequest request, string type, string subtype)
    {
        if (!MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted))
        {
            return false;
        }

        foreach (var value in accepted)
        {
            if (value.Quality is 0)
            {
                continue;
            }

            var media = value.MediaType;
            if (media.Equals("*/*", StringComparison.Ordinal)
                || media.Equals(type + "/*", StringComparison.OrdinalIgnoreCase)
                || media.Equals(type + "/" + subtype, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}

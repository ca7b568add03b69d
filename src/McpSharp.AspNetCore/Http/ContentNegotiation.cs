using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace McpSharp.AspNetCore.Http;

/// <summary>Step 4: the Accept (406) and Content-Type (415) gates (HTTP-POST-ACCEPT, HTTP-GET-ACCEPT).</summary>
internal static class ContentNegotiation
{
    /// <summary>A POST must accept both <c>application/json</c> and <c>text/event-stream</c> (wildcards count).</summary>
    public static bool PostAccepts(HttpRequest request) =>
        Accepts(request, "application", "json") && Accepts(request, "text", "event-stream");

    /// <summary>A GET must accept <c>text/event-stream</c>.</summary>
    public static bool GetAccepts(HttpRequest request) => Accepts(request, "text", "event-stream");

    /// <summary>The body must be JSON: <c>application/json</c>, parameters allowed.</summary>
    public static bool IsJson(HttpRequest request) =>
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

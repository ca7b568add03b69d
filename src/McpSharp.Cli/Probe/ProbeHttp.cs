using System.Net.Http.Headers;
using System.Text;

namespace McpSharp.Cli.Probe;

/// <summary>An answer as the audit sees it: the status (0 when none came), the headers it looks at, the body's start.</summary>
internal sealed record ProbeAnswer(int Status, string? SessionId, string? ContentType, string Body, string? Failure)
{
    /// <summary>A few words for the table: the status, and the failure when there was no answer.</summary>
    public string Summary => Failure is not null ? "no answer: " + Failure : Status.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// Raw requests to the endpoint, each bounded in time: the audit needs exactly the headers and bodies a rule names,
/// which a client would never send. It never throws for what the server does: no answer is an answer too.
/// </summary>
internal sealed class ProbeHttp(HttpClient http, Uri endpoint, TimeSpan timeout, IReadOnlyList<(string Name, string Value)> headers)
{
    public const string AcceptBoth = "application/json, text/event-stream";
    private const int BodyKept = 4096;

    public Uri Endpoint => endpoint;

    public async Task<ProbeAnswer> SendAsync(HttpMethod method, string? body = null, string? sessionId = null, string? protocolVersion = null,
        string? accept = AcceptBoth, string contentType = "application/json", Action<HttpRequestMessage>? adjust = null, bool readBody = true, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, endpoint);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        if (sessionId is not null)
        {
            request.Headers.TryAddWithoutValidation("MCP-Session-Id", sessionId);
        }

        if (protocolVersion is not null)
        {
            request.Headers.TryAddWithoutValidation("MCP-Protocol-Version", protocolVersion);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        adjust?.Invoke(request);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, bounded.Token).ConfigureAwait(false);
            string? session = response.Headers.TryGetValues("MCP-Session-Id", out var values) ? values.FirstOrDefault() : null;
            string? type = response.Content.Headers.ContentType?.MediaType;
            string text = readBody ? await ReadStartAsync(response, type, bounded.Token).ConfigureAwait(false) : "";
            return new ProbeAnswer((int)response.StatusCode, session, type, text, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ProbeAnswer(0, null, null, "", $"nothing within {timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException ex)
        {
            return new ProbeAnswer(0, null, null, "", ex.Message);
        }
    }

    // A JSON body whole (bounded); an SSE stream only up to its first message event: a GET stream never ends.
    private static async Task<string> ReadStartAsync(HttpResponseMessage response, string? type, CancellationToken cancellationToken)
    {
        using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var text = new StringBuilder();
        bool sse = type == "text/event-stream";
        try
        {
            while (text.Length < BodyKept && await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                text.Append(line).Append('\n');
                if (sse && line.StartsWith("data:", StringComparison.Ordinal) && line.Length > "data:".Length + 1)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (sse)
        {
            // An open stream with nothing in it yet: what came is the answer.
        }

        return text.ToString();
    }
}

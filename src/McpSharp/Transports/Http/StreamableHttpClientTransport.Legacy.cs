using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text;
using McpSharp.JsonRpc;
using Microsoft.Extensions.Logging;

namespace McpSharp.Transports.Http;

/// <summary>The 2024-11-05 HTTP+SSE fallback (HTTP-BC-CLIENT-PROBE), used when <c>initialize</c> by POST gets 400, 404 or 405.</summary>
public sealed partial class StreamableHttpClientTransport
{
    // 2024-11-05 HTTP+SSE: GET the URL, the first event is `endpoint` with the URL to POST to; every message arrives
    // on this one SSE stream.
    private async Task StartLegacyAsync(int postStatus, CancellationToken cancellationToken)
    {
        var response = await SendGetAsync(null, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode || response.Content.Headers.ContentType?.MediaType != "text/event-stream")
        {
            int status = (int)response.StatusCode;
            response.Dispose();
            throw new McpHttpException(postStatus, $"initialize was answered {postStatus}, and the 2024-11-05 HTTP+SSE fallback answered {status}: no MCP transport here.");
        }

        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var events = SseParser.Create(stream, static (_, data) => data.ToArray()).EnumerateAsync(_stop.Token).GetAsyncEnumerator(_stop.Token);
        while (await events.MoveNextAsync().ConfigureAwait(false))
        {
            if (events.Current.EventType == "endpoint")
            {
                _legacyEndpoint = new Uri(_options.Endpoint, Encoding.UTF8.GetString(events.Current.Data).Trim());
                LogLegacy(_logger, _legacyEndpoint);
                _ = PumpLegacyAsync(response, events);
                return;
            }
        }

        response.Dispose();
        throw new McpHttpException(postStatus, "The 2024-11-05 HTTP+SSE stream ended without an endpoint event.");
    }

    private async Task PumpLegacyAsync(HttpResponseMessage response, IAsyncEnumerator<SseItem<byte[]>> events)
    {
        using (response)
        {
            try
            {
                while (await events.MoveNextAsync().ConfigureAwait(false))
                {
                    if (events.Current.Data.Length > 0 && JsonRpcMessageParser.TryParse(events.Current.Data, out var message, out _, out _))
                    {
                        await DeliverAsync(message, _stop.Token).ConfigureAwait(false);
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException)
            {
            }
            finally
            {
                await events.DisposeAsync().ConfigureAwait(false);
            }

            // The only stream is gone: so is the connection.
            _incoming.Writer.TryComplete(new IOException("The 2024-11-05 HTTP+SSE stream closed."));
        }
    }

    private async Task PostLegacyAsync(Uri endpoint, byte[] body, CancellationToken cancellationToken)
    {
        using var request = CreateRequest(HttpMethod.Post, "application/json, text/event-stream", endpoint);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        await ApplyHooksAsync(request, cancellationToken).ConfigureAwait(false);
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new McpHttpException((int)response.StatusCode, $"POST to the 2024-11-05 endpoint failed with {(int)response.StatusCode}.");
        }
    }

    [LoggerMessage(415, LogLevel.Information, "The server speaks the 2024-11-05 HTTP+SSE transport; posting to {Endpoint}.")]
    private static partial void LogLegacy(ILogger logger, Uri endpoint);
}

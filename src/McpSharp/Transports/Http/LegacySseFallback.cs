using System.Net.ServerSentEvents;
using System.Text;
using McpSharp.JsonRpc;
using Microsoft.Extensions.Logging;

namespace McpSharp.Transports.Http;

/// <summary>
/// The 2024-11-05 HTTP+SSE transport (HTTP-BC-CLIENT-PROBE), used when <c>initialize</c> by POST gets 400, 404 or 405:
/// GET the URL; the first event, <c>endpoint</c>, names the URL to POST to; every message arrives on that one stream.
/// </summary>
internal sealed partial class LegacySseFallback
{
    private readonly HttpExchange _exchange;
    private readonly Uri _endpoint;

    private LegacySseFallback(HttpExchange exchange, Uri endpoint)
    {
        _exchange = exchange;
        _endpoint = endpoint;
    }

    /// <summary>Opens the stream and waits for its <c>endpoint</c> event; throws when the server offers no such transport either.</summary>
    public static async Task<LegacySseFallback> StartAsync(HttpExchange exchange, int postStatus, CancellationToken cancellationToken)
    {
        using var get = exchange.Create(HttpMethod.Get, "text/event-stream");
        var response = await exchange.SendAsync(get, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode || response.Content.Headers.ContentType?.MediaType != "text/event-stream")
        {
            int status = (int)response.StatusCode;
            response.Dispose();
            throw new McpHttpException(postStatus, $"initialize was answered {postStatus}, and the 2024-11-05 HTTP+SSE fallback answered {status}: no MCP transport here.");
        }

        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var events = SseParser.Create(stream, static (_, data) => data.ToArray()).EnumerateAsync(exchange.Stopping).GetAsyncEnumerator(exchange.Stopping);
        while (await events.MoveNextAsync().ConfigureAwait(false))
        {
            if (events.Current.EventType == "endpoint")
            {
                var fallback = new LegacySseFallback(exchange, new Uri(exchange.Options.Endpoint, Encoding.UTF8.GetString(events.Current.Data).Trim()));
                LogLegacy(exchange.Logger, fallback._endpoint);
                _ = fallback.PumpAsync(response, events);
                return fallback;
            }
        }

        response.Dispose();
        throw new McpHttpException(postStatus, "The 2024-11-05 HTTP+SSE stream ended without an endpoint event.");
    }

    public async Task PostAsync(byte[] body, CancellationToken cancellationToken)
    {
        using var request = _exchange.CreatePost(body, _endpoint);
        using var response = await _exchange.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new McpHttpException((int)response.StatusCode, $"POST to the 2024-11-05 endpoint failed with {(int)response.StatusCode}.");
        }
    }

    private async Task PumpAsync(HttpResponseMessage response, IAsyncEnumerator<SseItem<byte[]>> events)
    {
        using (response)
        {
            try
            {
                while (await events.MoveNextAsync().ConfigureAwait(false))
                {
                    if (events.Current.Data.Length > 0 && JsonRpcMessageParser.TryParse(events.Current.Data, out var message, out _, out _))
                    {
                        await _exchange.DeliverAsync(message, _exchange.Stopping).ConfigureAwait(false);
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
            _exchange.Complete(new IOException("The 2024-11-05 HTTP+SSE stream closed."));
        }
    }

    [LoggerMessage(415, LogLevel.Information, "The server speaks the 2024-11-05 HTTP+SSE transport; posting to {Endpoint}.")]
    private static partial void LogLegacy(ILogger logger, Uri endpoint);
}

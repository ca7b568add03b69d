using System.Net;
using System.Net.ServerSentEvents;
using McpSharp.Client;
using McpSharp.JsonRpc;
using McpSharp.Protocol;
using Microsoft.Extensions.Logging;

namespace McpSharp.Transports.Http;

/// <summary>
/// Reads SSE streams into the exchange: a POST's answer stream (resumed by GET with <c>Last-Event-ID</c> in a 2025
/// session, never in 2026-07-28) and the standalone GET stream. Only default events with a JSON-RPC message count;
/// priming events, comments and other event types are skipped.
/// </summary>
internal sealed partial class SseResponseReader(HttpExchange exchange)
{
    /// <summary>Opens a GET resuming after the given event id.</summary>
    public delegate Task<HttpResponseMessage> Resume(string lastEventId, CancellationToken cancellationToken);

    /// <summary>
    /// Reads the stream that answers <paramref name="request"/> in the background. When it ends before the answer: with
    /// <paramref name="resume"/>, resumes after the server's retry with bounded attempts and backoff (HTTP-RESUME-GET,
    /// SSE-RETRY-RESPECT; never re-POSTing); without, the request is lost (M26-HTTP-NO-RESUME) and its caller fails.
    /// Reading stops quietly when <paramref name="cancellationToken"/> fires (dispose, or the caller gave up the request).
    /// </summary>
    public async Task ReadAnswerAsync(HttpResponseMessage response, JsonRpcRequest? request, Resume? resume, CancellationToken cancellationToken)
    {
        try
        {
            await ReadAnswerCoreAsync(response, request, resume, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Nothing may escape unobserved from here: the waiting request fails now instead of at its timeout.
            LogStreamDropped(exchange.Logger, ex.Message);
            if (request is not null && !cancellationToken.IsCancellationRequested)
            {
                exchange.Lose(request, resume is null
                    ? new McpRequestLostException($"Reading the answer stream of '{request.Method}' failed: {ex.Message}", ex)
                    : new McpHttpException(0, "Reading the response stream failed: " + ex.Message, ex));
            }
        }
    }

    private async Task ReadAnswerCoreAsync(HttpResponseMessage response, JsonRpcRequest? request, Resume? resume, CancellationToken stopping)
    {
        var position = new StreamPosition();
        bool answered = await ConsumeAsync(response, position, request?.Id, stopping).ConfigureAwait(false);
        if (answered || request is null || stopping.IsCancellationRequested)
        {
            return;
        }

        if (resume is null)
        {
            exchange.Lose(request, new McpRequestLostException($"The answer stream of '{request.Method}' broke before the answer, and 2026-07-28 streams are not resumed."));
            return;
        }

        int attempts = 0;
        while (!answered && !stopping.IsCancellationRequested)
        {
            if (position.LastEventId is null)
            {
                exchange.Lose(request, new McpHttpException(0, "The server closed the response stream before answering, and gave no event id to resume from."));
                return;
            }

            if (++attempts > exchange.Options.MaxReconnectAttempts)
            {
                exchange.Lose(request, new McpHttpException(0, $"The response stream could not be resumed after {exchange.Options.MaxReconnectAttempts} attempts."));
                return;
            }

            try
            {
                await Task.Delay(ReconnectDelay(position.Retry, attempts), exchange.Time, stopping).ConfigureAwait(false);
                var resumed = await resume(position.LastEventId, stopping).ConfigureAwait(false);
                if (resumed.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest or HttpStatusCode.MethodNotAllowed)
                {
                    // The server no longer has the stream (its node died, its events expired, the session ended): the
                    // answer cannot come. Whether the request ran is unknown; the application decides to send it again.
                    int status = (int)resumed.StatusCode;
                    resumed.Dispose();
                    exchange.Lose(request, new McpRequestLostException(
                        $"The answer stream of '{request.Method}' broke and the server can no longer resume it (it answered {status}): the request may or may not have run.",
                        new McpHttpException(status, $"The response stream could not be resumed: the server answered {status}.")));
                    return;
                }

                if (!resumed.IsSuccessStatusCode)
                {
                    resumed.Dispose();
                    continue;
                }

                LogResumed(exchange.Logger, position.LastEventId);
                string? before = position.LastEventId;
                answered = await ConsumeAsync(resumed, position, request.Id, stopping).ConfigureAwait(false);
                if (!string.Equals(before, position.LastEventId, StringComparison.Ordinal))
                {
                    // Only a resume that got somewhere earns fresh attempts: a server that accepts and closes at once
                    // runs out of them.
                    attempts = 0;
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (HttpRequestException)
            {
                // Connection refused or reset: the next attempt waits longer.
            }
        }
    }

    /// <summary>Reads an SSE response to its end (or until the connection drops); true when the awaited answer arrived.</summary>
    public async Task<bool> ConsumeAsync(HttpResponseMessage response, StreamPosition position, RequestId? awaited, CancellationToken cancellationToken)
    {
        bool answered = false;
        using (response)
        {
            try
            {
                var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                var parser = SseParser.Create(stream, static (_, data) => data.ToArray());
                await foreach (var item in parser.EnumerateAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (item.EventId is { Length: > 0 } eventId)
                    {
                        position.LastEventId = eventId;
                    }

                    if (item.ReconnectionInterval is { } retry)
                    {
                        position.Retry = retry;
                    }

                    // Priming events (empty data) and other event types carry no message.
                    if (item.Data.Length == 0 || item.EventType != SseParser.EventTypeDefault
                        || !JsonRpcMessageParser.TryParse(item.Data, out var message, out _, out _))
                    {
                        continue;
                    }

                    position.Messages++;
                    await exchange.DeliverAsync(message, cancellationToken).ConfigureAwait(false);
                    if (awaited is { } id && ((message is JsonRpcResponse r && r.Id == id) || (message is JsonRpcErrorResponse e && e.Id == id)))
                    {
                        answered = true;
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // The connection dropped: the caller resumes if it still waits for something.
                LogStreamDropped(exchange.Logger, ex.Message);
            }
            catch (OperationCanceledException)
            {
            }
        }

        return answered;
    }

    /// <summary>SSE-RETRY-RESPECT: the first attempt waits exactly the server's retry; later ones back off, up to the maximum.</summary>
    public TimeSpan ReconnectDelay(TimeSpan? retry, int attempt)
    {
        var baseDelay = retry ?? exchange.Options.DefaultReconnectDelay;
        double factor = Math.Pow(2, Math.Max(0, attempt - 1));
        var delay = TimeSpan.FromTicks((long)Math.Min(baseDelay.Ticks * factor, exchange.Options.MaxReconnectDelay.Ticks));
        return delay < baseDelay ? baseDelay : delay;
    }

    [LoggerMessage(410, LogLevel.Debug, "Resumed a dropped stream after event {LastEventId}.")]
    private static partial void LogResumed(ILogger logger, string? lastEventId);

    [LoggerMessage(411, LogLevel.Debug, "An SSE stream dropped: {Reason}")]
    internal static partial void LogStreamDropped(ILogger logger, string reason);
}

/// <summary>
/// Where a stream got to: the last event id seen (priming events included, C07), the server's retry, and how many
/// messages it carried.
/// </summary>
internal sealed class StreamPosition
{
    public string? LastEventId { get; set; }

    public TimeSpan? Retry { get; set; }

    public long Messages { get; set; }
}

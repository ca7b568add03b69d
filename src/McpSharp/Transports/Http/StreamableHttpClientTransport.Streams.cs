using System.Net;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text;
using McpSharp.JsonRpc;
using McpSharp.Protocol;
using Microsoft.Extensions.Logging;

namespace McpSharp.Transports.Http;

public sealed partial class StreamableHttpClientTransport
{
    // Where a stream got to: the last event id seen (priming events included, C07), the server's retry, and how many
    // messages it carried.
    private sealed class StreamPosition
    {
        public string? LastEventId { get; set; }

        public TimeSpan? Retry { get; set; }

        public long Messages { get; set; }
    }

    // A POST answered with SSE: read it; if it ends before the response, resume by GET with Last-Event-ID after the
    // server's retry, with bounded attempts and backoff (HTTP-RESUME-GET, SSE-RETRY-RESPECT). Never re-POST.
    private async Task ReadPostStreamAsync(HttpResponseMessage response, RequestId? awaited)
    {
        try
        {
            await ReadPostStreamCoreAsync(response, awaited).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Nothing may escape unobserved from here: the waiting request fails now instead of at its timeout.
            LogStreamDropped(_logger, ex.Message);
            if (awaited is { } id && !_stop.IsCancellationRequested)
            {
                await DeliverErrorAsync(id, "Reading the response stream failed: " + ex.Message).ConfigureAwait(false);
            }
        }
    }

    private async Task ReadPostStreamCoreAsync(HttpResponseMessage response, RequestId? awaited)
    {
        var position = new StreamPosition();
        bool answered = await ConsumeSseAsync(response, position, awaited, _stop.Token).ConfigureAwait(false);
        int attempts = 0;
        while (!answered && awaited is { } id && !_stop.IsCancellationRequested)
        {
            if (position.LastEventId is null)
            {
                await DeliverErrorAsync(id, "The server closed the response stream before answering, and gave no event id to resume from.").ConfigureAwait(false);
                return;
            }

            if (++attempts > _options.MaxReconnectAttempts)
            {
                await DeliverErrorAsync(id, $"The response stream could not be resumed after {_options.MaxReconnectAttempts} attempts.").ConfigureAwait(false);
                return;
            }

            try
            {
                await Task.Delay(ReconnectDelay(position.Retry, attempts), _time, _stop.Token).ConfigureAwait(false);
                var resumed = await SendGetAsync(position.LastEventId, _stop.Token).ConfigureAwait(false);
                if (resumed.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest or HttpStatusCode.MethodNotAllowed)
                {
                    int status = (int)resumed.StatusCode;
                    resumed.Dispose();
                    await DeliverErrorAsync(id, $"The response stream could not be resumed: the server answered {status}.").ConfigureAwait(false);
                    return;
                }

                if (!resumed.IsSuccessStatusCode)
                {
                    resumed.Dispose();
                    continue;
                }

                LogResumed(_logger, position.LastEventId);
                string? before = position.LastEventId;
                answered = await ConsumeSseAsync(resumed, position, awaited, _stop.Token).ConfigureAwait(false);
                if (!string.Equals(before, position.LastEventId, StringComparison.Ordinal))
                {
                    // Only a resume that got somewhere earns fresh attempts: a server that accepts and closes at once
                    // runs out of them.
                    attempts = 0;
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpRequestException)
            {
                // Connection refused or reset: the next attempt waits longer.
            }
        }
    }

    // Reads an SSE response to its end (or until the connection drops); true when the awaited response arrived.
    private async Task<bool> ConsumeSseAsync(HttpResponseMessage response, StreamPosition position, RequestId? awaited, CancellationToken cancellationToken)
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
                    await DeliverAsync(message, cancellationToken).ConfigureAwait(false);
                    if (awaited is { } id && ((message is JsonRpcResponse r && r.Id == id) || (message is JsonRpcErrorResponse e && e.Id == id)))
                    {
                        answered = true;
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // The connection dropped: the caller resumes if it still waits for something.
                LogStreamDropped(_logger, ex.Message);
            }
            catch (OperationCanceledException)
            {
            }
        }

        return answered;
    }

    // The messages of a POST response, JSON or SSE, for the transport's own exchanges.
    private static async IAsyncEnumerable<JsonRpcMessage> ReadMessagesAsync(HttpResponseMessage response, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (mediaType is not null && mediaType.Equals("text/event-stream", StringComparison.OrdinalIgnoreCase))
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await foreach (var item in SseParser.Create(stream, static (_, data) => data.ToArray()).EnumerateAsync(cancellationToken).ConfigureAwait(false))
            {
                if (item.Data.Length > 0 && JsonRpcMessageParser.TryParse(item.Data, out var message, out _, out _))
                {
                    yield return message;
                }
            }

            yield break;
        }

        byte[] bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (bytes.Length > 0 && JsonRpcMessageParser.TryParse(bytes, out var single, out _, out _))
        {
            yield return single;
        }
    }

    private async Task<HttpResponseMessage> SendGetAsync(string? lastEventId, CancellationToken cancellationToken)
    {
        using var request = CreateRequest(HttpMethod.Get, "text/event-stream");
        if (lastEventId is not null)
        {
            request.Headers.TryAddWithoutValidation(McpHttpHeaders.LastEventId, lastEventId);
        }

        await ApplyHooksAsync(request, cancellationToken).ConfigureAwait(false);
        return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
    }

    private void StartStandalone()
    {
        if (!_options.OpenStandaloneStream || _legacyEndpoint is not null || Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        lock (_standaloneGate)
        {
            _standaloneStop?.Cancel();
            _standaloneStop = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            var token = _standaloneStop.Token;
            _standalone = Task.Run(() => RunStandaloneAsync(token));
        }
    }

    private void StopStandalone()
    {
        lock (_standaloneGate)
        {
            _standaloneStop?.Cancel();
            _standaloneStop = null;
        }
    }

    // The optional standalone GET stream (HTTP-GET-OPEN). 405 means the server offers none (C09). 404 is left to the
    // client: the session may be lost, or the server has no GET route at all; either way this session's stream is not
    // opened again. A dropped stream is resumed with Last-Event-ID; one that the server keeps closing without sending
    // anything is reopened after the retry and backoff, and given up after the bounded attempts (never a tight loop).
    private async Task RunStandaloneAsync(CancellationToken cancellationToken)
    {
        var position = new StreamPosition();
        int attempts = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            string? sessionUsed = _sessionId;
            HttpResponseMessage response;
            try
            {
                response = await SendGetAsync(position.LastEventId, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (HttpRequestException ex)
            {
                LogStreamDropped(_logger, ex.Message);
                if (!await WaitBeforeRetryAsync(position, ++attempts, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }

                continue;
            }

            switch (response.StatusCode)
            {
                case HttpStatusCode.MethodNotAllowed:
                    response.Dispose();
                    LogNoStandaloneStream(_logger, 405);
                    return;
                case HttpStatusCode.NotFound when sessionUsed is not null:
                    response.Dispose();
                    LogNoStandaloneStream(_logger, 404);
                    _standaloneNotFound?.Invoke(sessionUsed);
                    return;
                case HttpStatusCode.BadRequest when position.LastEventId is not null:
                    // The id expired: start a fresh stream rather than give up.
                    response.Dispose();
                    position.LastEventId = null;
                    continue;
            }

            if (!response.IsSuccessStatusCode)
            {
                response.Dispose();
                if (!await WaitBeforeRetryAsync(position, ++attempts, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }

                continue;
            }

            long before = position.Messages;
            long opened = _time.GetTimestamp();
            await ConsumeSseAsync(response, position, null, cancellationToken).ConfigureAwait(false);

            // A stream that carried something, or stayed open a good while (a proxy cutting idle connections), earns
            // fresh attempts; one the server closed at once with nothing on it backs off like a failure.
            bool lasted = _time.GetElapsedTime(opened) >= _options.MaxReconnectDelay;
            attempts = position.Messages > before || lasted ? 1 : attempts + 1;
            if (!await WaitBeforeRetryAsync(position, attempts, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    private async Task<bool> WaitBeforeRetryAsync(StreamPosition position, int attempt, CancellationToken cancellationToken)
    {
        if (attempt > _options.MaxReconnectAttempts)
        {
            LogGaveUp(_logger, attempt - 1);
            return false;
        }

        try
        {
            await Task.Delay(ReconnectDelay(position.Retry, attempt), _time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    // SSE-RETRY-RESPECT: the first attempt waits exactly the server's retry; later ones back off, up to the maximum.
    private TimeSpan ReconnectDelay(TimeSpan? retry, int attempt)
    {
        var baseDelay = retry ?? _options.DefaultReconnectDelay;
        double factor = Math.Pow(2, Math.Max(0, attempt - 1));
        var delay = TimeSpan.FromTicks((long)Math.Min(baseDelay.Ticks * factor, _options.MaxReconnectDelay.Ticks));
        return delay < baseDelay ? baseDelay : delay;
    }

    [LoggerMessage(410, LogLevel.Debug, "Resumed a dropped stream after event {LastEventId}.")]
    private static partial void LogResumed(ILogger logger, string? lastEventId);

    [LoggerMessage(411, LogLevel.Debug, "An SSE stream dropped: {Reason}")]
    private static partial void LogStreamDropped(ILogger logger, string reason);

    [LoggerMessage(412, LogLevel.Debug, "The server answered the standalone GET stream {Status}: not opening it again for this session.")]
    private static partial void LogNoStandaloneStream(ILogger logger, int status);

    [LoggerMessage(413, LogLevel.Warning, "Gave up reconnecting the standalone stream after {Attempts} attempts.")]
    private static partial void LogGaveUp(ILogger logger, int attempts);
}

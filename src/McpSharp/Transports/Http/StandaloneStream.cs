using System.Net;
using Microsoft.Extensions.Logging;

namespace McpSharp.Transports.Http;

/// <summary>
/// The optional standalone GET stream of a 2025 session (HTTP-GET-OPEN). 405 means the server offers none (C09). 404 is
/// left to the client: the session may be lost, or the server has no GET route at all; either way this session's
/// stream is not opened again. A dropped stream is resumed with <c>Last-Event-ID</c>; one that the server keeps closing
/// without sending anything is reopened after the retry and backoff, and given up after the bounded attempts (never a
/// tight loop). Revision 2026-07-28 has no such stream.
/// </summary>
internal sealed partial class StandaloneStream(HttpExchange exchange, SseResponseReader reader, StandaloneStream.Get get, Action<string> notFound)
{
    private readonly Lock _gate = new();
    private Task _loop = Task.CompletedTask;
    private CancellationTokenSource? _stop;

    /// <summary>Sends a GET for the stream of <paramref name="sessionId"/>, resuming after <paramref name="lastEventId"/> if given.</summary>
    public delegate Task<HttpResponseMessage> Get(string? sessionId, string? lastEventId, CancellationToken cancellationToken);

    /// <summary>The loop (completes when it stops: 405, give-up, or dispose).</summary>
    public Task Completion
    {
        get
        {
            lock (_gate)
            {
                return _loop;
            }
        }
    }

    /// <summary>Opens the stream of <paramref name="sessionId"/>, replacing the one of any earlier session.</summary>
    public void Start(string? sessionId)
    {
        lock (_gate)
        {
            _stop?.Cancel();
            _stop = CancellationTokenSource.CreateLinkedTokenSource(exchange.Stopping);
            var token = _stop.Token;
            _loop = Task.Run(() => RunAsync(sessionId, token));
        }
    }

    public void Stop()
    {
        lock (_gate)
        {
            _stop?.Cancel();
            _stop = null;
        }
    }

    private async Task RunAsync(string? sessionId, CancellationToken cancellationToken)
    {
        var position = new StreamPosition();
        int attempts = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            HttpResponseMessage response;
            try
            {
                response = await get(sessionId, position.LastEventId, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (HttpRequestException ex)
            {
                SseResponseReader.LogStreamDropped(exchange.Logger, ex.Message);
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
                    LogNoStandaloneStream(exchange.Logger, 405);
                    return;
                case HttpStatusCode.NotFound when sessionId is not null:
                    response.Dispose();
                    LogNoStandaloneStream(exchange.Logger, 404);
                    notFound(sessionId);
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
            long opened = exchange.Time.GetTimestamp();
            await reader.ConsumeAsync(response, position, null, cancellationToken).ConfigureAwait(false);

            // A stream that carried something, or stayed open a good while (a proxy cutting idle connections), earns
            // fresh attempts; one the server closed at once with nothing on it backs off like a failure.
            bool lasted = exchange.Time.GetElapsedTime(opened) >= exchange.Options.MaxReconnectDelay;
            attempts = position.Messages > before || lasted ? 1 : attempts + 1;
            if (!await WaitBeforeRetryAsync(position, attempts, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    private async Task<bool> WaitBeforeRetryAsync(StreamPosition position, int attempt, CancellationToken cancellationToken)
    {
        if (attempt > exchange.Options.MaxReconnectAttempts)
        {
            LogGaveUp(exchange.Logger, attempt - 1);
            return false;
        }

        try
        {
            await Task.Delay(reader.ReconnectDelay(position.Retry, attempt), exchange.Time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(412, LogLevel.Debug, "The server answered the standalone GET stream {Status}: not opening it again for this session.")]
    private static partial void LogNoStandaloneStream(ILogger logger, int status);

    [LoggerMessage(413, LogLevel.Warning, "Gave up reconnecting the standalone stream after {Attempts} attempts.")]
    private static partial void LogGaveUp(ILogger logger, int attempts);
}

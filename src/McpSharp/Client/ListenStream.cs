using System.Runtime.CompilerServices;
using System.Threading.Channels;
using McpSharp.JsonRpc;
using McpSharp.Protocol;
using Microsoft.Extensions.Logging;

namespace McpSharp.Client;

/// <summary>
/// <c>subscriptions/listen</c> from the client's side (2026-07-28, M26-SUB-*): the request gets an id of the client's
/// choosing so the notifications the server tags with it reach this stream and no other (M26-SUB-CLOSE: correlate by
/// subscription id); the acknowledgement comes first. When the stream ends (the server closed it or the connection
/// broke) it listens again after a backoff, and the new acknowledgement follows; after
/// <see cref="McpClientOptions.MaxListenAttempts"/> attempts in a row that were never acknowledged it gives up. An error
/// the server answered (the method is unknown, the filter is invalid) ends it at once.
/// </summary>
internal sealed partial class ListenStream(JsonRpcConnection connection, McpClientHandler handler, McpClientOptions options, TimeProvider time, ILogger logger)
{
    private long _next;

    public async IAsyncEnumerable<JsonRpcNotification> ListenAsync(SubscriptionFilter filter, Action<RequestParams> stamp, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        int unacknowledged = 0;
        var delay = options.ListenRetryDelay;
        while (true)
        {
            var id = new RequestId($"listen-{Interlocked.Increment(ref _next)}");
            var received = Channel.CreateBounded<JsonRpcNotification>(new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
            handler.Listens[id] = notification => received.Writer.TryWrite(notification);
            var parameters = new SubscriptionsListenRequestParams { Notifications = filter };
            stamp(parameters);

            // Its own token: a consumer that stops enumerating ends the listen (the stream is closed, or on stdio
            // notifications/cancelled is sent).
            using var call = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var listening = connection.SendRequestAsync(id, McpMethods.SubscriptionsListen, JsonPayload.FromValue(parameters, McpJsonContext.Default.SubscriptionsListenRequestParams), null, Timeout.InfiniteTimeSpan, call.Token).AsTask();
            _ = listening.ContinueWith(
                static (ended, writer) =>
                {
                    _ = ended.Exception; // observed here; EndedAsync reads it when it matters
                    ((ChannelWriter<JsonRpcNotification>)writer!).TryComplete();
                },
                received.Writer, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            bool acknowledged = false;
            try
            {
                await foreach (var notification in received.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (notification.Method == McpMethods.NotificationsSubscriptionsAcknowledged)
                    {
                        acknowledged = true;
                        unacknowledged = 0;
                        delay = options.ListenRetryDelay;
                    }

                    yield return notification;
                }
            }
            finally
            {
                handler.Listens.TryRemove(id, out _);
                if (!listening.IsCompleted)
                {
                    await call.CancelAsync().ConfigureAwait(false);
                }
            }

            string reason = await EndedAsync(listening).ConfigureAwait(false);
            if (!acknowledged && ++unacknowledged >= options.MaxListenAttempts)
            {
                throw new IOException($"subscriptions/listen was not acknowledged in {unacknowledged} attempts in a row; the last one ended: {reason}");
            }

            LogListenAgain(logger, reason, delay.TotalMilliseconds);
            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
        }
    }

    // Why a listen ended: the server closed it (its result), or the connection broke; an answered error is final.
    private static async Task<string> EndedAsync(Task<JsonPayload> listening)
    {
        try
        {
            await listening.ConfigureAwait(false);
            return "the server closed the subscription";
        }
        catch (Exception ex) when (ex is IOException or TimeoutException or HttpRequestException)
        {
            return ex.Message;
        }
    }

    [LoggerMessage(220, LogLevel.Debug, "subscriptions/listen ended ({Reason}); listening again in {DelayMs} ms.")]
    private static partial void LogListenAgain(ILogger logger, string reason, double delayMs);
}

using McpSharp.JsonRpc;
using McpSharp.Protocol;
using Microsoft.Extensions.Logging;

namespace McpSharp.Client;

/// <summary>
/// Keeps one <c>subscriptions/listen</c> open in the background for a 2026-07-28 client, so that
/// <see cref="McpClient.ListChanged"/> and <see cref="McpClient.ResourceUpdated"/> work as they do in a 2025 session:
/// the filter asks for every list change the server declares and every resource the application subscribed to. A new
/// filter replaces the listen; the caller can wait for the server to acknowledge it.
/// </summary>
internal sealed partial class ChangeFeed(Func<SubscriptionFilter, CancellationToken, IAsyncEnumerable<JsonRpcNotification>> listen, ILogger logger, CancellationToken stopping)
{
    private readonly Lock _gate = new();
    private CancellationTokenSource? _current;

    /// <summary>Replaces the listen with one for <paramref name="filter"/> (none when it asks for nothing); completes once acknowledged.</summary>
    public Task ListenAsync(SubscriptionFilter filter)
    {
        var acknowledged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _current?.Cancel();
            _current?.Dispose();
            _current = null;
            if (IsEmpty(filter) || stopping.IsCancellationRequested)
            {
                acknowledged.SetResult();
                return acknowledged.Task;
            }

            _current = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            var token = _current.Token;
            _ = Task.Run(() => ConsumeAsync(filter, acknowledged, token), CancellationToken.None);
        }

        return acknowledged.Task;
    }

    public void Stop()
    {
        lock (_gate)
        {
            _current?.Cancel();
            _current?.Dispose();
            _current = null;
        }
    }

    // The notifications themselves reach the client's events through its handler; here only the acknowledgement matters.
    private async Task ConsumeAsync(SubscriptionFilter filter, TaskCompletionSource acknowledged, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var notification in listen(filter, cancellationToken).ConfigureAwait(false))
            {
                if (notification.Method == McpMethods.NotificationsSubscriptionsAcknowledged)
                {
                    acknowledged.TrySetResult();
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            acknowledged.TrySetCanceled(cancellationToken);
        }
        catch (Exception ex) when (ex is McpProtocolException or IOException or ObjectDisposedException)
        {
            LogFeedEnded(logger, ex.Message);
            acknowledged.TrySetException(ex);
        }
    }

    private static bool IsEmpty(SubscriptionFilter filter) =>
        filter.ToolsListChanged != true && filter.PromptsListChanged != true && filter.ResourcesListChanged != true && filter.ResourceSubscriptions is not { Count: > 0 };

    [LoggerMessage(221, LogLevel.Warning, "The server's change notifications stopped: {Reason}")]
    private static partial void LogFeedEnded(ILogger logger, string reason);
}

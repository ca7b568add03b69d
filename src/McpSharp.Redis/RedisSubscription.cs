using StackExchange.Redis;

namespace McpSharp.Redis;

/// <summary>
/// A pub/sub subscription that outlasts Redis being away: when subscribing fails (Redis down, or too slow at startup),
/// it tries again every second in the background until it succeeds or is disposed, so a node that starts while Redis is
/// down hears its channels once Redis is back (StackExchange.Redis resubscribes by itself after later reconnects).
/// </summary>
internal sealed class RedisSubscription : IAsyncDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    private readonly IConnectionMultiplexer _redis;
    private readonly RedisChannel _channel;
    private readonly Func<ReadOnlyMemory<byte>, ValueTask> _handler;
    private readonly CancellationTokenSource _disposed = new();
    private ChannelMessageQueue? _queue;

    private RedisSubscription(IConnectionMultiplexer redis, RedisChannel channel, Func<ReadOnlyMemory<byte>, ValueTask> handler)
    {
        _redis = redis;
        _channel = channel;
        _handler = handler;
    }

    public static async Task<RedisSubscription> StartAsync(IConnectionMultiplexer redis, RedisChannel channel, Func<ReadOnlyMemory<byte>, ValueTask> handler)
    {
        var subscription = new RedisSubscription(redis, channel, handler);
        if (!await subscription.TrySubscribeAsync().ConfigureAwait(false))
        {
            _ = subscription.RetryAsync();
        }

        return subscription;
    }

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync().ConfigureAwait(false);
        if (Volatile.Read(ref _queue) is { } queue)
        {
            try
            {
                await queue.UnsubscribeAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException)
            {
                // Redis is gone: so is the subscription.
            }
        }
    }

    private async Task<bool> TrySubscribeAsync()
    {
        try
        {
            var queue = await _redis.GetSubscriber().SubscribeAsync(_channel).ConfigureAwait(false);
            queue.OnMessage(async message => await _handler((byte[])message.Message!).ConfigureAwait(false));
            Volatile.Write(ref _queue, queue);
            if (_disposed.IsCancellationRequested)
            {
                await queue.UnsubscribeAsync().ConfigureAwait(false);
            }

            return true;
        }
        catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException)
        {
            return false;
        }
    }

    private async Task RetryAsync()
    {
        try
        {
            do
            {
                await Task.Delay(RetryDelay, _disposed.Token).ConfigureAwait(false);
            }
            while (!await TrySubscribeAsync().ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
        }
    }
}

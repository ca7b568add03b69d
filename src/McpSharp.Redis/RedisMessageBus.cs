using McpSharp.AspNetCore.Sessions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace McpSharp.Redis;

/// <summary>
/// The message bus between nodes on Redis pub/sub: what one node publishes on a channel reaches every node subscribed to
/// it, in order per channel (StackExchange.Redis delivers a subscription's messages one after another). Redis tells how
/// many subscribers got a message, which is how a node learns that nobody else holds a session's GET stream.
/// </summary>
public sealed class RedisMessageBus(IConnectionMultiplexer redis, IOptions<McpRedisOptions> options) : IMcpMessageBus
{
    private readonly string _prefix = options.Value.KeyPrefix;

    /// <inheritdoc />
    public async ValueTask<long> PublishAsync(string channel, ReadOnlyMemory<byte> message, CancellationToken cancellationToken) =>
        await RedisCalls.RunAsync(() => redis.GetSubscriber().PublishAsync(Channel(channel), message)).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask<IAsyncDisposable> SubscribeAsync(string channel, Func<ReadOnlyMemory<byte>, ValueTask> handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var queue = await RedisCalls.RunAsync(() => redis.GetSubscriber().SubscribeAsync(Channel(channel))).ConfigureAwait(false);
        queue.OnMessage(async message => await handler((byte[])message.Message!).ConfigureAwait(false));
        return new Subscription(queue);
    }

    private RedisChannel Channel(string channel) => RedisChannel.Literal(_prefix + channel);

    private sealed class Subscription(ChannelMessageQueue queue) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
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
}

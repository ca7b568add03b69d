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
        return await RedisSubscription.StartAsync(redis, Channel(channel), handler).ConfigureAwait(false);
    }

    private RedisChannel Channel(string channel) => RedisChannel.Literal(_prefix + channel);
}

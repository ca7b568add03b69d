namespace McpSharp.AspNetCore.Sessions;

/// <summary>
/// The default message bus: subscribers in this process only. With one node there is nobody else to reach, and the
/// HTTP transport delivers locally; nodes in one process (tests) share one instance.
/// </summary>
public sealed class InMemoryMessageBus : IMcpMessageBus
{
    private readonly Dictionary<string, Subscription[]> _channels = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <inheritdoc />
    public async ValueTask<long> PublishAsync(string channel, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        Subscription[]? subscribers;
        lock (_gate)
        {
            _channels.TryGetValue(channel, out subscribers);
        }

        if (subscribers is null)
        {
            return 0;
        }

        // A copy: the publisher may reuse its buffer once this returns.
        ReadOnlyMemory<byte> copy = message.ToArray();
        foreach (var subscriber in subscribers)
        {
            await subscriber.Handler(copy).ConfigureAwait(false);
        }

        return subscribers.Length;
    }

    /// <inheritdoc />
    public ValueTask<IAsyncDisposable> SubscribeAsync(string channel, Func<ReadOnlyMemory<byte>, ValueTask> handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var subscription = new Subscription(this, channel, handler);
        lock (_gate)
        {
            _channels[channel] = _channels.TryGetValue(channel, out var existing) ? [.. existing, subscription] : [subscription];
        }

        return new(subscription);
    }

    private void Unsubscribe(Subscription subscription)
    {
        lock (_gate)
        {
            if (_channels.TryGetValue(subscription.Channel, out var existing))
            {
                var rest = existing.Where(s => s != subscription).ToArray();
                if (rest.Length == 0)
                {
                    _channels.Remove(subscription.Channel);
                }
                else
                {
                    _channels[subscription.Channel] = rest;
                }
            }
        }
    }

    private sealed class Subscription(InMemoryMessageBus bus, string channel, Func<ReadOnlyMemory<byte>, ValueTask> handler) : IAsyncDisposable
    {
        public string Channel => channel;

        public Func<ReadOnlyMemory<byte>, ValueTask> Handler => handler;

        public ValueTask DisposeAsync()
        {
            bus.Unsubscribe(this);
            return ValueTask.CompletedTask;
        }
    }
}

using System.Collections.Concurrent;

namespace McpSharp.AspNetCore.Streams;

/// <summary>Something with SSE connections that may need a keep-alive comment when idle.</summary>
internal interface IKeepAlive
{
    /// <summary>Queues a keep-alive comment on every connection that has written nothing for <paramref name="interval"/>.</summary>
    void SendKeepAliveIfIdle(TimeSpan interval);
}

/// <summary>
/// One timer for the keep-alive comments of every open SSE stream (the shape of Kestrel's <c>Heartbeat</c>), instead of a
/// timer per wait: sessions and per-request streams register while they are open. Off when
/// <see cref="McpHttpOptions.KeepAliveInterval"/> is null.
/// </summary>
internal sealed class KeepAliveHeartbeat : IAsyncDisposable
{
    private readonly ConcurrentDictionary<IKeepAlive, byte> _targets = new();
    private readonly ITimer? _timer;
    private readonly TimeSpan _interval;

    public KeepAliveHeartbeat(McpHttpOptions options, TimeProvider time)
    {
        if (options.KeepAliveInterval is { } interval)
        {
            _interval = interval;
            _timer = time.CreateTimer(static state => ((KeepAliveHeartbeat)state!).Beat(), this, interval, interval);
        }
    }

    public void Register(IKeepAlive target) => _targets.TryAdd(target, 0);

    public void Unregister(IKeepAlive target) => _targets.TryRemove(target, out _);

    private void Beat()
    {
        foreach (var target in _targets.Keys)
        {
            target.SendKeepAliveIfIdle(_interval);
        }
    }

    public ValueTask DisposeAsync() => _timer?.DisposeAsync() ?? ValueTask.CompletedTask;
}

using System.Threading.Channels;
using McpSharp.JsonRpc;

namespace McpSharp.Transports.InMemory;

/// <summary>
/// One end of an in-process connection, for tests and benchmarks. Messages are serialized to UTF-8 JSON and parsed on
/// the other end, exactly as on a real transport (no object sharing between the two sides); queues are bounded.
/// </summary>
public sealed class InMemoryTransport : IMcpTransport
{
    private readonly ChannelReader<byte[]> _incoming;
    private readonly ChannelWriter<byte[]> _outgoing;

    private InMemoryTransport(ChannelReader<byte[]> incoming, ChannelWriter<byte[]> outgoing)
    {
        _incoming = incoming;
        _outgoing = outgoing;
    }

    /// <summary>Creates two connected ends; each queue holds at most <paramref name="capacity"/> messages.</summary>
    public static (InMemoryTransport ClientSide, InMemoryTransport ServerSide) CreatePair(int capacity = 1024)
    {
        var options = new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true };
        var toServer = Channel.CreateBounded<byte[]>(options);
        var toClient = Channel.CreateBounded<byte[]>(options);
        return (new InMemoryTransport(toClient.Reader, toServer.Writer), new InMemoryTransport(toServer.Reader, toClient.Writer));
    }

    /// <inheritdoc />
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<JsonRpcMessage?> ReceiveAsync(CancellationToken cancellationToken)
    {
        while (await _incoming.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (_incoming.TryRead(out var bytes))
            {
                if (JsonRpcMessageParser.TryParse(bytes, out var message, out _, out _))
                {
                    return message;
                }
            }
        }

        return null;
    }

    /// <inheritdoc />
    public ValueTask SendAsync(JsonRpcMessage message, CancellationToken cancellationToken) =>
        _outgoing.WriteAsync(JsonRpcMessageWriter.ToUtf8Bytes(message), cancellationToken);

    /// <summary>Closes this end's outgoing direction: the other end's <see cref="ReceiveAsync"/> then returns null.</summary>
    public ValueTask DisposeAsync()
    {
        _outgoing.TryComplete();
        return ValueTask.CompletedTask;
    }
}

using System.Runtime.CompilerServices;
using System.Threading.Channels;
using McpSharp.AspNetCore.Streams;
using McpSharp.JsonRpc;

namespace McpSharp.AspNetCore.Sessions;

/// <summary>
/// The transport of one HTTP session: POST handlers feed received messages in (a bounded queue, so a flood meets
/// backpressure); outgoing messages are routed by <see cref="JsonRpcMessage.Route"/> to the POST they belong to, and
/// everything else to the standalone GET stream. A message goes to exactly one place (HTTP-NO-BROADCAST).
/// </summary>
internal sealed class HttpServerTransport(Func<JsonRpcMessage, CancellationToken, ValueTask> unrouted) : IMcpTransport
{
    private readonly Channel<JsonRpcMessage> _incoming = Channel.CreateBounded<JsonRpcMessage>(new BoundedChannelOptions(64) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>Hands a received message to the session's engine.</summary>
    public ValueTask EnqueueAsync(JsonRpcMessage message, CancellationToken cancellationToken) => _incoming.Writer.WriteAsync(message, cancellationToken);

    /// <inheritdoc />
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<JsonRpcMessage?> ReceiveAsync(CancellationToken cancellationToken)
    {
        while (await _incoming.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (_incoming.Reader.TryRead(out var message))
            {
                return message;
            }
        }

        return null;
    }

    /// <inheritdoc />
    public ValueTask SendAsync(JsonRpcMessage message, CancellationToken cancellationToken) =>
        message.Route is IResponseSink sink ? sink.WriteAsync(message, cancellationToken) : unrouted(message, cancellationToken);

    /// <summary>No more input: the engine finishes what is running and stops.</summary>
    public void Complete() => _incoming.Writer.TryComplete();

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Complete();
        return ValueTask.CompletedTask;
    }
}

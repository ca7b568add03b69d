namespace McpSharp.AspNetCore.Sessions;

/// <summary>
/// Carries messages between the nodes that serve one endpoint, so that a message reaches the node that can deliver it:
/// the answer to a server-to-client request goes to the node whose handler waits for it, a message for a session's GET
/// stream to the node that holds that stream, and a server-wide change to every node. Channels are named by the HTTP
/// transport; a message published to a channel reaches every current subscriber of it, at most once, in order per
/// publisher. The in-memory default connects the nodes of one process; a shared backend (Redis pub/sub) connects
/// processes.
/// </summary>
public interface IMcpMessageBus
{
    /// <summary>Publishes <paramref name="message"/> on <paramref name="channel"/>; returns how many subscribers got it.</summary>
    ValueTask<long> PublishAsync(string channel, ReadOnlyMemory<byte> message, CancellationToken cancellationToken);

    /// <summary>Calls <paramref name="handler"/> with each message published on <paramref name="channel"/> until the result is disposed.</summary>
    ValueTask<IAsyncDisposable> SubscribeAsync(string channel, Func<ReadOnlyMemory<byte>, ValueTask> handler, CancellationToken cancellationToken);
}

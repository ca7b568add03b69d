using McpSharp.AspNetCore.Streams;
using McpSharp.JsonRpc;

namespace McpSharp.AspNetCore.Sessions;

/// <summary>
/// The outgoing half of an HTTP session's transport. HTTP has no read loop: POST handlers push received messages into the
/// session (<see cref="McpSharp.Server.McpSession.ProcessMessageAsync"/>). Outgoing messages are routed by
/// <see cref="JsonRpcMessage.Route"/> to the POST they belong to, and everything else to the standalone GET stream.
/// A message goes to exactly one place (HTTP-NO-BROADCAST).
/// </summary>
internal sealed class HttpServerTransport(Func<JsonRpcMessage, CancellationToken, ValueTask> unrouted) : IMcpTransport
{
    /// <inheritdoc />
    /// <remarks>Never used: messages are pushed, not read. Returns null (closed) at once.</remarks>
    public ValueTask<JsonRpcMessage?> ReceiveAsync(CancellationToken cancellationToken) => new((JsonRpcMessage?)null);

    /// <inheritdoc />
    public ValueTask SendAsync(JsonRpcMessage message, CancellationToken cancellationToken) =>
        message.Route is { } route ? route.SendAsync(message, cancellationToken) : unrouted(message, cancellationToken);

    /// <inheritdoc />
    public string? NetworkTransport => "tcp";

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

using System.Globalization;
using System.Text;
using McpSharp.JsonRpc;
using McpSharp.Protocol;
using McpSharp.Server;
using Microsoft.Extensions.Logging;

namespace McpSharp.AspNetCore.Sessions;

/// <summary>
/// Gets a message to the node that can deliver it, over the <see cref="IMcpMessageBus"/>. Three routes:
/// <list type="bullet">
/// <item>The answer to a server-to-client request goes to the node whose handler waits for it: this node's requests have
/// ids that start with its tag (<see cref="RequestIdPrefix"/>), and an answer to another node's is sent on that node's
/// channel.</item>
/// <item>An event of a session's GET stream, stored by the node that sent it, goes to the node that holds the stream:
/// that node listens on the session's channel while it does (<see cref="HoldStreamAsync"/>).</item>
/// <item>A change announced to every client (<see cref="McpServer.Announced"/>) goes to every node, and each offers it to
/// the sessions it serves (which keep one copy) and delivers it to its listen streams (<see cref="McpServer.Relay"/>).</item>
/// </list>
/// With one node (the in-memory bus, nobody else subscribed) nothing leaves the node.
/// </summary>
internal sealed partial class ClusterRouter(IMcpMessageBus bus, McpServer server, Func<string, HttpSession?> find, ILogger logger) : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _subscriptions = [];
    private byte[]? _nodeBytes;

    /// <summary>This node's tag: in front of the ids of its streams and of its requests to clients.</summary>
    public string Node { get; } = SessionIds.NodeTag();

    // The tag as it appears in a takeover frame, to tell this node's own takeovers from others'.
    private byte[] NodeBytes => _nodeBytes ??= Encoding.UTF8.GetBytes(Node);

    /// <summary>The start of the ids of this node's requests to clients.</summary>
    public string RequestIdPrefix => Node + ":";

    /// <summary>Starts listening for answers sent to this node and for changes announced by the others.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _subscriptions.Add(await bus.SubscribeAsync(NodeChannel(Node), DeliverAnswerAsync, cancellationToken).ConfigureAwait(false));
        _subscriptions.Add(await bus.SubscribeAsync("announce", RelayAsync, cancellationToken).ConfigureAwait(false));
        server.Announced += OnAnnounced;
    }

    /// <summary>The node whose request <paramref name="message"/> answers, when that is not this node.</summary>
    public bool BelongsElsewhere(JsonRpcMessage message, out string owner)
    {
        var id = message switch
        {
            JsonRpcResponse response => (RequestId?)response.Id,
            JsonRpcErrorResponse error => error.Id,
            _ => null,
        };
        owner = string.Empty;
        if (id is not { IsString: true } answered || answered.AsString is not { } text || text.Length <= Node.Length || text[Node.Length] != ':')
        {
            return false;
        }

        owner = text[..Node.Length];
        return !string.Equals(owner, Node, StringComparison.Ordinal);
    }

    /// <summary>
    /// True while the node that made <paramref name="streamId"/> (a POST's stream, <c>&lt;node&gt;.&lt;n&gt;</c>) runs: this
    /// node, or one that hears its channel (a probe it ignores).
    /// </summary>
    public async ValueTask<bool> IsStreamWriterAliveAsync(string streamId, CancellationToken cancellationToken)
    {
        int dot = streamId.LastIndexOf('.');
        string node = dot > 0 ? streamId[..dot] : streamId;
        return string.Equals(node, Node, StringComparison.Ordinal)
            || await bus.PublishAsync(NodeChannel(node), Frame(string.Empty, []), cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <summary>
    /// Sends an answer to the node that waits for it. When no node hears it (that node is gone, or its subscription is
    /// being restored after the backend came back), the POST gets 503 and the client sends it again shortly: an answer
    /// is never dropped while its node may still be waiting.
    /// </summary>
    public async ValueTask SendToOwnerAsync(string owner, string sessionId, JsonRpcMessage answer, CancellationToken cancellationToken)
    {
        if (await bus.PublishAsync(NodeChannel(owner), Frame(sessionId, JsonRpcMessageWriter.ToUtf8Bytes(answer)), cancellationToken).ConfigureAwait(false) == 0)
        {
            LogOwnerGone(logger, owner, sessionId);
            throw new McpBackendUnavailableException($"No node answers for node {owner}, which waits for this answer: it is gone, or it is reconnecting to the backend.");
        }
    }

    /// <summary>
    /// Publishes an event for a session's GET stream: stored already with <paramref name="sequence"/>, or (0) not stored,
    /// when there is no event store. Returns how many nodes hold the stream (0 or 1).
    /// </summary>
    public ValueTask<long> PublishToStreamAsync(string sessionId, long sequence, byte[] message, CancellationToken cancellationToken) =>
        bus.PublishAsync(SessionChannel(sessionId), Frame(sequence.ToString(CultureInfo.InvariantCulture), message), cancellationToken);

    /// <summary>
    /// While the result is not disposed, events other nodes publish for the session's GET stream go to it here. A
    /// connection that held the stream on another node is let go there (the client has moved: a connection that node
    /// still thinks live would swallow what is sent meanwhile).
    /// </summary>
    public async ValueTask<IAsyncDisposable> HoldStreamAsync(HttpSession session, CancellationToken cancellationToken)
    {
        var held = await bus.SubscribeAsync(SessionChannel(session.Id), frame => OnStreamFrameAsync(session, frame), cancellationToken).ConfigureAwait(false);
        await bus.PublishAsync(SessionChannel(session.Id), Frame(TakeOver + Node, []), cancellationToken).ConfigureAwait(false);
        return held;
    }

    private async ValueTask OnStreamFrameAsync(HttpSession session, ReadOnlyMemory<byte> frame)
    {
        int newline = frame.Span.IndexOf((byte)'\n');
        if (session.IsClosed || newline <= 0)
        {
            return;
        }

        var header = frame.Span[..newline];
        var json = frame[(newline + 1)..];
        if (header[0] == (byte)TakeOver[0])
        {
            if (!header[1..].SequenceEqual(NodeBytes))
            {
                session.Standalone.Release();
            }
        }
        else if (!long.TryParse(header, NumberStyles.None, CultureInfo.InvariantCulture, out long sequence))
        {
            return;
        }
        else if (sequence > 0)
        {
            await session.Standalone.DeliverStoredAsync(sequence, json.ToArray(), CancellationToken.None).ConfigureAwait(false);
        }
        else if (JsonRpcMessageParser.TryParse(json, out var message, out _, out _))
        {
            await session.Standalone.SendAsync(message, CancellationToken.None).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        server.Announced -= OnAnnounced;
        foreach (var subscription in _subscriptions)
        {
            await subscription.DisposeAsync().ConfigureAwait(false);
        }
    }

    // The header of a frame that says a node took the session's GET stream over.
    private const string TakeOver = "t";

    private static string NodeChannel(string node) => "node:" + node;

    private static string SessionChannel(string sessionId) => "session:" + sessionId;

    private async ValueTask DeliverAnswerAsync(ReadOnlyMemory<byte> frame)
    {
        int newline = frame.Span.IndexOf((byte)'\n');
        if (newline < 0 || find(Encoding.UTF8.GetString(frame.Span[..newline])) is not { } session
            || !JsonRpcMessageParser.TryParse(frame[(newline + 1)..], out var answer, out _, out _))
        {
            return;
        }

        await session.Mcp.ProcessMessageAsync(answer).ConfigureAwait(false);
    }

    private void OnAnnounced(object? sender, McpAnnouncement announcement) => _ = AnnounceAsync(announcement);

    private async Task AnnounceAsync(McpAnnouncement announcement)
    {
        try
        {
            await bus.PublishAsync("announce", Encoding.UTF8.GetBytes($"{Node}\n{announcement.Id}\n{announcement.Method}\n{announcement.Uri}"), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogAnnounceFailed(logger, announcement.Method, ex.Message);
        }
    }

    // Another node's announcement: to the sessions served here, each of which keeps one copy whichever nodes offer it
    // (HttpSession.AnnounceAsync), and to the listen streams here.
    private ValueTask RelayAsync(ReadOnlyMemory<byte> frame)
    {
        string[] parts = Encoding.UTF8.GetString(frame.Span).Split('\n');
        if (parts.Length == 4 && !string.Equals(parts[0], Node, StringComparison.Ordinal))
        {
            server.Relay(new McpAnnouncement(parts[2], parts[3].Length == 0 ? null : parts[3]) { Id = parts[1] }, session => session.Id is { } id && find(id) is not null);
        }

        return ValueTask.CompletedTask;
    }

    // A header line, then the JSON.
    private static byte[] Frame(string header, byte[] json)
    {
        byte[] frame = new byte[Encoding.UTF8.GetByteCount(header) + 1 + json.Length];
        int written = Encoding.UTF8.GetBytes(header, frame);
        frame[written] = (byte)'\n';
        json.CopyTo(frame, written + 1);
        return frame;
    }

    [LoggerMessage(120, LogLevel.Debug, "An answer for node {Node} (session {SessionId}) found no one listening: that node is gone or reconnecting.")]
    private static partial void LogOwnerGone(ILogger logger, string node, string sessionId);

    [LoggerMessage(121, LogLevel.Warning, "Passing {Method} on to the other nodes failed: {Reason}")]
    private static partial void LogAnnounceFailed(ILogger logger, string method, string reason);
}

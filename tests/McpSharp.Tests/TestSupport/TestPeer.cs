using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using McpSharp.JsonRpc;
using McpSharp.Protocol;
using McpSharp.Server;
using McpSharp.Transports.InMemory;

namespace McpSharp.Tests.TestSupport;

/// <summary>
/// The client end of an in-memory connection to an <see cref="McpServer"/>, driven by the real JSON-RPC engine.
/// Records every notification; answers server-to-client requests with the registered handlers.
/// </summary>
public sealed class TestPeer : IAsyncDisposable, IJsonRpcHandler
{
    private readonly InMemoryTransport _transport;
    private readonly Task _serverRun;
    private readonly Task _clientRun;
    private readonly CancellationTokenSource _stop = new();

    public TestPeer(McpServer server, JsonRpcOptions? options = null, TimeProvider? time = null)
    {
        var (client, serverSide) = InMemoryTransport.CreatePair();
        _transport = client;
        Connection = new JsonRpcConnection(client, this, options, time);
        Session = server.CreateSession(serverSide);
        _serverRun = Session.RunAsync(_stop.Token);
        _clientRun = Connection.RunAsync(_stop.Token);
    }

    public McpSession Session { get; }

    internal JsonRpcConnection Connection { get; }

    public Channel<JsonRpcNotification> Notifications { get; } = Channel.CreateUnbounded<JsonRpcNotification>();

    public ConcurrentDictionary<string, Func<JsonRpcRequest, JsonPayload>> RequestHandlers { get; } = new();

    public static JsonElement Json(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }

    public async Task<InitializeResult> InitializeAsync(string version = ProtocolVersions.LatestHandshake, string capabilities = "{}", bool sendInitialized = true)
    {
        var result = await RequestAsync("initialize", $$$"""{"protocolVersion":"{{{version}}}","capabilities":{{{capabilities}}},"clientInfo":{"name":"test","version":"1"}}""");
        if (sendInitialized)
        {
            await NotifyAsync("notifications/initialized");
        }

        return result.Deserialize(McpJsonContext.Default.InitializeResult)!;
    }

    /// <summary>Sends a request and returns its raw result; a JSON-RPC error throws <see cref="McpProtocolException"/>.</summary>
    public async Task<JsonElement> RequestAsync(string method, string? paramsJson = null, CancellationToken cancellationToken = default)
    {
        var payload = await Connection.SendRequestAsync(method, paramsJson is null ? JsonPayload.None : JsonPayload.FromRaw(System.Text.Encoding.UTF8.GetBytes(paramsJson)), null, TimeSpan.FromSeconds(30), cancellationToken);
        return payload.Deserialize(McpJsonContext.Default.JsonElement);
    }

    public async Task<McpProtocolException> RequestErrorAsync(string method, string? paramsJson = null) =>
        await Assert.ThrowsAsync<McpProtocolException>(() => RequestAsync(method, paramsJson));

    public Task NotifyAsync(string method, string? paramsJson = null) =>
        Connection.SendNotificationAsync(method, paramsJson is null ? JsonPayload.None : JsonPayload.FromRaw(System.Text.Encoding.UTF8.GetBytes(paramsJson)), null, default).AsTask();

    /// <summary>Waits for the next notification with <paramref name="method"/>, skipping others.</summary>
    public async Task<JsonRpcNotification> NextNotificationAsync(string method)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var notification = await Notifications.Reader.ReadAsync(timeout.Token);
            if (notification.Method == method)
            {
                return notification;
            }
        }
    }

    bool IJsonRpcHandler.MustHandleInOrder(JsonRpcRequest request) => false;

    ValueTask<JsonPayload> IJsonRpcHandler.HandleRequestAsync(JsonRpcRequest request, CancellationToken cancellationToken) =>
        RequestHandlers.TryGetValue(request.Method, out var handler)
            ? new(handler(request))
            : throw new McpProtocolException(McpErrorCodes.MethodNotFound, "Method not found: " + request.Method);

    ValueTask IJsonRpcHandler.HandleNotificationAsync(JsonRpcNotification notification, CancellationToken cancellationToken) =>
        Notifications.Writer.WriteAsync(notification, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _transport.DisposeAsync();
        await _serverRun.WaitAsync(TimeSpan.FromSeconds(30));
        await _stop.CancelAsync();
        await _clientRun.WaitAsync(TimeSpan.FromSeconds(30));
        _stop.Dispose();
    }
}

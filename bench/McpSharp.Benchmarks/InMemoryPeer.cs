using McpSharp.JsonRpc;
using McpSharp.Protocol;
using McpSharp.Server;
using McpSharp.Transports.InMemory;

namespace McpSharp.Benchmarks;

/// <summary>A raw JSON-RPC client connection to a server over the in-memory transport, initialized and ready for calls.</summary>
internal sealed class InMemoryPeer : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly InMemoryTransport _clientTransport;
    private readonly Task _runs;

    public InMemoryPeer(McpServer server)
    {
        var (client, serverSide) = InMemoryTransport.CreatePair();
        _clientTransport = client;
        Client = new JsonRpcConnection(client, new NoRequests());
        var session = server.CreateSession(serverSide);
        _runs = Task.WhenAll(session.RunAsync(_stop.Token), Client.RunAsync(_stop.Token));
        Client.SendRequestAsync(McpMethods.Initialize, JsonPayload.FromValue(new InitializeRequestParams { ProtocolVersion = ProtocolVersions.LatestHandshake, ClientInfo = new Implementation { Name = "bench", Version = "1" } }, McpJsonContext.Default.InitializeRequestParams), null, null, default).AsTask().GetAwaiter().GetResult();
        Client.SendNotificationAsync(McpMethods.NotificationsInitialized, JsonPayload.None, null, default).AsTask().GetAwaiter().GetResult();
    }

    public JsonRpcConnection Client { get; }

    public void Dispose()
    {
        _clientTransport.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _stop.Cancel();
        _runs.Wait(TimeSpan.FromSeconds(10));
        _stop.Dispose();
    }

    private sealed class NoRequests : IJsonRpcHandler
    {
        public bool MustHandleInOrder(JsonRpcRequest request) => false;

        public ValueTask<JsonPayload> HandleRequestAsync(JsonRpcRequest request, CancellationToken cancellationToken) =>
            throw new McpProtocolException(McpErrorCodes.MethodNotFound, "Method not found");

        public ValueTask HandleNotificationAsync(JsonRpcNotification notification, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}

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

    /// <summary>The arguments of the benchmarks' <c>tools/call</c> of <c>echo</c>.</summary>
    public static JsonPayload EchoParams { get; } = JsonPayload.FromValue(
        new CallToolRequestParams { Name = "echo", Arguments = new Dictionary<string, System.Text.Json.JsonElement> { ["message"] = System.Text.Json.JsonDocument.Parse("\"hello world\"").RootElement } },
        McpJsonContext.Default.CallToolRequestParams);

    /// <summary>A server with the one <c>echo</c> tool the round-trip benchmarks call.</summary>
    public static McpServer EchoServer()
    {
        var server = new McpServer();
        server.Tools.Add(
            new Tool { Name = "echo", InputSchema = System.Text.Json.JsonDocument.Parse("""{"type":"object","properties":{"message":{"type":"string"}}}""").RootElement },
            static ctx => ValueTask.FromResult(CallToolResult.FromText("Echo: " + ctx.Params.Arguments!["message"].GetString())));
        return server;
    }

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

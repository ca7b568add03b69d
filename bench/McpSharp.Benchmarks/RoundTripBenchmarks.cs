using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using McpSharp.JsonRpc;
using McpSharp.Protocol;
using McpSharp.Server;
using McpSharp.Transports.InMemory;

namespace McpSharp.Benchmarks;

/// <summary>
/// A <c>tools/call</c> round trip through the whole engine and server over the in-memory transport (which serializes
/// and parses like a real one), against the ceiling of the same four JSON operations with no engine at all.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class RoundTripBenchmarks
{
    private static readonly JsonPayload EchoParams = JsonPayload.FromValue(
        new CallToolRequestParams { Name = "echo", Arguments = new Dictionary<string, JsonElement> { ["message"] = JsonDocument.Parse("\"hello world\"").RootElement } },
        McpJsonContext.Default.CallToolRequestParams);

    private readonly CancellationTokenSource _stop = new();
    private JsonRpcConnection _client = null!;
    private InMemoryTransport _clientTransport = null!;
    private Task _runs = null!;

    [GlobalSetup]
    public void Setup()
    {
        var server = new McpServer();
        server.Tools.Add(
            new Tool { Name = "echo", InputSchema = JsonDocument.Parse("""{"type":"object","properties":{"message":{"type":"string"}}}""").RootElement },
            static ctx => ValueTask.FromResult(CallToolResult.FromText("Echo: " + ctx.Params.Arguments!["message"].GetString())));

        var (client, serverSide) = InMemoryTransport.CreatePair();
        _clientTransport = client;
        _client = new JsonRpcConnection(client, new NoRequests());
        var session = server.CreateSession(serverSide);
        _runs = Task.WhenAll(session.RunAsync(_stop.Token), _client.RunAsync(_stop.Token));
        _client.SendRequestAsync(McpMethods.Initialize, JsonPayload.FromValue(new InitializeRequestParams { ProtocolVersion = ProtocolVersions.Latest, ClientInfo = new Implementation { Name = "bench", Version = "1" } }, McpJsonContext.Default.InitializeRequestParams), null, null, default).AsTask().GetAwaiter().GetResult();
        _client.SendNotificationAsync(McpMethods.NotificationsInitialized, JsonPayload.None, null, default).AsTask().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _clientTransport.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _stop.Cancel();
        _runs.Wait(TimeSpan.FromSeconds(10));
    }

    [Benchmark]
    public async Task<int> EngineAndServerRoundTrip()
    {
        var result = await _client.SendRequestAsync(McpMethods.ToolsCall, EchoParams, null, null, default);
        return result.Raw.Length;
    }

    /// <summary>The ceiling: serialize the request, parse it, serialize the result, parse it; no engine, no threads.</summary>
    [Benchmark(Baseline = true)]
    public int JsonOnlyCeiling()
    {
        byte[] request = JsonRpcMessageWriter.ToUtf8Bytes(new JsonRpcRequest(new RequestId(1), McpMethods.ToolsCall, EchoParams));
        JsonRpcMessageParser.TryParse(request, out var parsed, out _, out _);
        var parameters = ((JsonRpcRequest)parsed!).Params.Deserialize(McpJsonContext.Default.CallToolRequestParams)!;
        var result = CallToolResult.FromText("Echo: " + parameters.Arguments!["message"].GetString());
        byte[] response = JsonRpcMessageWriter.ToUtf8Bytes(new JsonRpcResponse(new RequestId(1), JsonPayload.FromValue(result, McpJsonContext.Default.CallToolResult)));
        JsonRpcMessageParser.TryParse(response, out var reply, out _, out _);
        return ((JsonRpcResponse)reply!).Result.Raw.Length;
    }

    internal sealed class NoRequests : IJsonRpcHandler
    {
        public bool MustHandleInOrder(JsonRpcRequest request) => false;

        public ValueTask<JsonPayload> HandleRequestAsync(JsonRpcRequest request, CancellationToken cancellationToken) =>
            throw new McpProtocolException(McpErrorCodes.MethodNotFound, "Method not found");

        public ValueTask HandleNotificationAsync(JsonRpcNotification notification, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}

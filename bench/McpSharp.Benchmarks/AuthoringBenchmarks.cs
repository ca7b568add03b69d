using System.Text.Json;
using BenchmarkDotNet.Attributes;
using McpSharp.Authoring;
using McpSharp.JsonRpc;
using McpSharp.Protocol;
using McpSharp.Server;
using McpSharp.Transports.InMemory;

namespace McpSharp.Benchmarks;

/// <summary>The generated tool: the source generator writes its schema, binding and validation.</summary>
public static class GeneratedTools
{
    [McpTool]
    public static string Echo(string message) => "Echo: " + message;
}

/// <summary>
/// A <c>tools/call</c> round trip to a source-generated tool against the same tool registered with the low-level
/// delegate API (hand-written argument checks doing the same validation). The bar: the generated path costs
/// no more.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 5, iterationCount: 20)]
public class AuthoringBenchmarks
{
    private static readonly JsonPayload GeneratedParams = Params("echo");
    private static readonly JsonPayload DelegateParams = Params("echo_delegate");

    private InMemoryPeer _peer = null!;
    private JsonRpcConnection _client = null!;

    private static JsonPayload Params(string tool) => JsonPayload.FromValue(
        new CallToolRequestParams { Name = tool, Arguments = new Dictionary<string, JsonElement> { ["message"] = JsonDocument.Parse("\"hello world\"").RootElement } },
        McpJsonContext.Default.CallToolRequestParams);

    [GlobalSetup]
    public void Setup()
    {
        var server = new McpServer().AddTools(typeof(GeneratedTools));
        server.Tools.Add(
            new Tool { Name = "echo_delegate", InputSchema = JsonDocument.Parse("""{"type":"object","properties":{"message":{"type":"string"}},"required":["message"]}""").RootElement },
            static ctx =>
            {
                // What a careful hand-written handler does: the same presence and type checks the generated code makes.
                if (ctx.Params.Arguments is not { } args || !args.TryGetValue("message", out var message))
                {
                    return ValueTask.FromResult(CallToolResult.FromError("Invalid arguments for tool 'echo_delegate': 'message' is required."));
                }

                if (message.ValueKind != JsonValueKind.String)
                {
                    return ValueTask.FromResult(CallToolResult.FromError("Invalid arguments for tool 'echo_delegate': 'message' must be a string."));
                }

                return ValueTask.FromResult(CallToolResult.FromText("Echo: " + message.GetString()));
            });

        _peer = new InMemoryPeer(server);
        _client = _peer.Client;
    }

    [GlobalCleanup]
    public void Cleanup() => _peer.Dispose();

    [Benchmark(Baseline = true)]
    public async Task<int> DelegateTool() => (await _client.SendRequestAsync(McpMethods.ToolsCall, DelegateParams, null, null, default)).Raw.Length;

    [Benchmark]
    public async Task<int> GeneratedTool() => (await _client.SendRequestAsync(McpMethods.ToolsCall, GeneratedParams, null, null, default)).Raw.Length;
}

/// <summary>
/// The handlers alone, without the engine: binding, validation, the call and the result of the generated tool against
/// the hand-written delegate. Isolates what the generator adds, which the round trip above drowns in transport cost.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 5, iterationCount: 15)]
public class AuthoringHandlerBenchmarks
{
    private McpToolHandler _generated = null!;
    private McpToolHandler _delegate = null!;
    private McpRequestContext<CallToolRequestParams> _generatedContext = null!;
    private McpRequestContext<CallToolRequestParams> _delegateContext = null!;

    [GlobalSetup]
    public void Setup()
    {
        var server = new McpServer().AddTools(typeof(GeneratedTools));
        server.Tools.Add(
            new Tool { Name = "echo_delegate", InputSchema = JsonDocument.Parse("""{"type":"object"}""").RootElement },
            static ctx => ctx.Params.Arguments is { } args && args.TryGetValue("message", out var message) && message.ValueKind == JsonValueKind.String
                ? ValueTask.FromResult(CallToolResult.FromText("Echo: " + message.GetString()))
                : ValueTask.FromResult(CallToolResult.FromError("Invalid arguments for tool 'echo_delegate': 'message' must be a string.")));
        server.Tools.TryGet("echo", out var generated);
        server.Tools.TryGet("echo_delegate", out var handWritten);
        _generated = generated!.Handler;
        _delegate = handWritten!.Handler;
        var (_, serverSide) = InMemoryTransport.CreatePair();
        var session = server.CreateSession(serverSide);
        var arguments = new Dictionary<string, JsonElement> { ["message"] = JsonDocument.Parse("\"hello world\"").RootElement };
        _generatedContext = new McpRequestContext<CallToolRequestParams>(session, new JsonRpcRequest(new RequestId(1), McpMethods.ToolsCall, JsonPayload.None), new CallToolRequestParams { Name = "echo", Arguments = arguments }, default);
        _delegateContext = new McpRequestContext<CallToolRequestParams>(session, new JsonRpcRequest(new RequestId(2), McpMethods.ToolsCall, JsonPayload.None), new CallToolRequestParams { Name = "echo_delegate", Arguments = arguments }, default);
    }

    [Benchmark(Baseline = true)]
    public async ValueTask<int> DelegateHandler() => (await _delegate(_delegateContext)).Content.Count;

    [Benchmark]
    public async ValueTask<int> GeneratedHandler() => (await _generated(_generatedContext)).Content.Count;
}

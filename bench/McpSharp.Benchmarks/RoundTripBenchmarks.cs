using BenchmarkDotNet.Attributes;
using McpSharp.JsonRpc;
using McpSharp.Protocol;

namespace McpSharp.Benchmarks;

/// <summary>
/// A <c>tools/call</c> round trip through the whole engine and server over the in-memory transport (which serializes
/// and parses like a real one), against the ceiling of the same four JSON operations with no engine at all.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class RoundTripBenchmarks
{
    private static readonly JsonPayload EchoParams = InMemoryPeer.EchoParams;

    private InMemoryPeer _peer = null!;
    private JsonRpcConnection _client = null!;

    [GlobalSetup]
    public void Setup()
    {
        _peer = new InMemoryPeer(InMemoryPeer.EchoServer());
        _client = _peer.Client;
    }

    [GlobalCleanup]
    public void Cleanup() => _peer.Dispose();

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
}

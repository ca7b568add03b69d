using System.Buffers;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using McpSharp.JsonRpc;
using McpSharp.Protocol;

namespace McpSharp.Benchmarks;

/// <summary>Writing and reading a <c>tools/call</c> request and its result, as the transports do.</summary>
[MemoryDiagnoser]
[ShortRunJob]
public class SerializationBenchmarks
{
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _writer = new(new ArrayBufferWriter<byte>());
    private JsonRpcRequest _request = null!;
    private JsonRpcResponse _response = null!;
    private byte[] _requestBytes = null!;
    private byte[] _responseBytes = null!;

    [GlobalSetup]
    public void Setup()
    {
        var arguments = new Dictionary<string, JsonElement> { ["message"] = JsonDocument.Parse("\"hello world\"").RootElement };
        _request = new JsonRpcRequest(new RequestId(42), McpMethods.ToolsCall, JsonPayload.FromValue(new CallToolRequestParams { Name = "echo", Arguments = arguments }, McpJsonContext.Default.CallToolRequestParams));
        _response = new JsonRpcResponse(new RequestId(42), JsonPayload.FromValue(CallToolResult.FromText("Echo: hello world"), McpJsonContext.Default.CallToolResult));
        _requestBytes = JsonRpcMessageWriter.ToUtf8Bytes(_request);
        _responseBytes = JsonRpcMessageWriter.ToUtf8Bytes(_response);
    }

    [Benchmark]
    public int WriteToolsCallRequest() => Write(_request);

    [Benchmark]
    public int WriteToolsCallResult() => Write(_response);

    [Benchmark]
    public string ReadToolsCallRequest()
    {
        JsonRpcMessageParser.TryParse(_requestBytes, out var message, out _, out _);
        return ((JsonRpcRequest)message!).Params.Deserialize(McpJsonContext.Default.CallToolRequestParams)!.Name;
    }

    [Benchmark]
    public int ReadToolsCallResult()
    {
        JsonRpcMessageParser.TryParse(_responseBytes, out var message, out _, out _);
        return ((JsonRpcResponse)message!).Result.Deserialize(McpJsonContext.Default.CallToolResult)!.Content.Count;
    }

    private int Write(JsonRpcMessage message)
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        JsonRpcMessageWriter.Write(_writer, message);
        _writer.Flush();
        return _buffer.WrittenCount;
    }

    /// <summary>Sizes of the messages measured, for the results table.</summary>
    public static string Describe()
    {
        var b = new SerializationBenchmarks();
        b.Setup();
        return $"request {b._requestBytes.Length} B: {Encoding.UTF8.GetString(b._requestBytes)}\nresult {b._responseBytes.Length} B: {Encoding.UTF8.GetString(b._responseBytes)}";
    }
}

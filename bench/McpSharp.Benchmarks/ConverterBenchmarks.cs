using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using BenchmarkDotNet.Attributes;
using McpSharp.Protocol;
using McpSharp.Tests.Protocol;

namespace McpSharp.Benchmarks;

/// <summary>
/// The hand-written <c>tools/call</c> converters against System.Text.Json's generated code for types of the same shapes
/// and options (what <see cref="CallToolRequestParams"/> and <see cref="CallToolResult"/> used before), in the same run
/// (the reference types are the tests', tests/McpSharp.Tests/Protocol/ReferenceTypes.cs).
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class ConverterBenchmarks
{
    private static readonly byte[] ResultJson = """{"content":[{"type":"text","text":"Echo: hello world"}]}"""u8.ToArray();
    private static readonly byte[] Params = """{"name":"echo","arguments":{"message":"hello world","count":3},"_meta":{"progressToken":7}}"""u8.ToArray();
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _writer = new(new ArrayBufferWriter<byte>());
    private CallToolRequestParams _handWritten = null!;
    private ReferenceCallToolParams _generated = null!;
    private CallToolResult _result = null!;
    private ReferenceCallToolResult _generatedResult = null!;

    [GlobalSetup]
    public void Setup()
    {
        _handWritten = JsonSerializer.Deserialize(Params, McpJsonContext.Default.CallToolRequestParams)!;
        _generated = JsonSerializer.Deserialize(Params, Reference.Context.ReferenceCallToolParams)!;
        _result = JsonSerializer.Deserialize(ResultJson, McpJsonContext.Default.CallToolResult)!;
        _generatedResult = JsonSerializer.Deserialize(ResultJson, Reference.Context.ReferenceCallToolResult)!;
    }

    [Benchmark(Baseline = true)]
    public string ReadGenerated() => JsonSerializer.Deserialize(Params, Reference.Context.ReferenceCallToolParams)!.Name;

    [Benchmark]
    public string ReadHandWritten() => JsonSerializer.Deserialize(Params, McpJsonContext.Default.CallToolRequestParams)!.Name;

    [Benchmark]
    public long WriteGenerated() => Write(_generated, Reference.Context.ReferenceCallToolParams);

    [Benchmark]
    public long WriteHandWritten() => Write(_handWritten, McpJsonContext.Default.CallToolRequestParams);

    [Benchmark]
    public long WriteResultGenerated() => Write(_generatedResult, Reference.Context.ReferenceCallToolResult);

    [Benchmark]
    public long WriteResultHandWritten() => Write(_result, McpJsonContext.Default.CallToolResult);

    [Benchmark]
    public int ReadResultGenerated() => JsonSerializer.Deserialize(ResultJson, Reference.Context.ReferenceCallToolResult)!.Content.Count;

    [Benchmark]
    public int ReadResultHandWritten() => JsonSerializer.Deserialize(ResultJson, McpJsonContext.Default.CallToolResult)!.Content.Count;

    private long Write<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        JsonSerializer.Serialize(_writer, value, typeInfo);
        return _writer.BytesCommitted + _writer.BytesPending;
    }
}

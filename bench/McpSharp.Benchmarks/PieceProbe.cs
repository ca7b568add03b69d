using System.Text.Json;
using McpSharp.JsonRpc;
using McpSharp.Protocol;

namespace McpSharp.Benchmarks;

internal static class PieceProbe
{
    static void M(string name, Action a)
    {
        for (int i = 0; i < 1000; i++) a();
        long b = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10000; i++) a();
        Console.WriteLine($"{name,-40} {(GC.GetAllocatedBytesForCurrentThread() - b) / 10000.0,8:0} B");
    }

    public static void Run()
    {
        var args = new Dictionary<string, JsonElement> { ["message"] = JsonDocument.Parse("\"hello world\"").RootElement };
        var p = new CallToolRequestParams { Name = "echo", Arguments = args };
        var req = new JsonRpcRequest(new RequestId(1), McpMethods.ToolsCall, JsonPayload.FromValue(p, McpJsonContext.Default.CallToolRequestParams));
        var reqBytes = JsonRpcMessageWriter.ToUtf8Bytes(req);
        var result = CallToolResult.FromText("Echo: hello world");
        var resp = new JsonRpcResponse(new RequestId(1), JsonPayload.FromValue(result, McpJsonContext.Default.CallToolResult));
        var respBytes = JsonRpcMessageWriter.ToUtf8Bytes(resp);
        JsonRpcMessageParser.TryParse(reqBytes, out var parsedReq, out _, out _);
        M("ToUtf8Bytes(request)", () => JsonRpcMessageWriter.ToUtf8Bytes(req));
        M("ToUtf8Bytes(response)", () => JsonRpcMessageWriter.ToUtf8Bytes(resp));
        M("Parse(request)", () => JsonRpcMessageParser.TryParse(reqBytes, out _, out _, out _));
        M("Parse(response)", () => JsonRpcMessageParser.TryParse(respBytes, out _, out _, out _));
        M("Deserialize CallToolRequestParams", () => ((JsonRpcRequest)parsedReq!).Params.Deserialize(McpJsonContext.Default.CallToolRequestParams));
        M("CallToolResult.FromText", () => CallToolResult.FromText("Echo: hello world"));
        M("JsonSerializer.Serialize(result) to bytes", () => JsonSerializer.SerializeToUtf8Bytes(result, McpJsonContext.Default.CallToolResult));
        M("JsonSerializer.Serialize(params) to bytes", () => JsonSerializer.SerializeToUtf8Bytes(p, McpJsonContext.Default.CallToolRequestParams));
        var buf = new System.Buffers.ArrayBufferWriter<byte>(1024);
        var w = new Utf8JsonWriter(buf);
        System.Text.Json.Serialization.Metadata.JsonTypeInfo nonGeneric = McpJsonContext.Default.CallToolResult;
        M("cached writer: Serialize<T>(result)", () => { buf.ResetWrittenCount(); w.Reset(buf); JsonSerializer.Serialize(w, result, McpJsonContext.Default.CallToolResult); w.Flush(); });
        M("cached writer: Serialize(object, JsonTypeInfo)", () => { buf.ResetWrittenCount(); w.Reset(buf); JsonSerializer.Serialize(w, (object)result, nonGeneric); w.Flush(); });
        M("cached writer: Serialize<T>(params)", () => { buf.ResetWrittenCount(); w.Reset(buf); JsonSerializer.Serialize(w, p, McpJsonContext.Default.CallToolRequestParams); w.Flush(); });
        M("cached writer: Write(response message)", () => { buf.ResetWrittenCount(); w.Reset(buf); JsonRpcMessageWriter.Write(w, resp); w.Flush(); });
        M("new Utf8JsonWriter+ArrayBufferWriter", () => { var b = new System.Buffers.ArrayBufferWriter<byte>(256); using var w = new Utf8JsonWriter(b); });
    }
}

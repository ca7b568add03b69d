using System.Text;
using McpSharp.JsonRpc;
using McpSharp.Protocol;

namespace McpSharp.Tests.JsonRpc;

public class MessageParserTests
{
    private static (JsonRpcMessage? Message, JsonRpcError? Error, RequestId? Id) Parse(string json)
    {
        bool ok = JsonRpcMessageParser.TryParse(Encoding.UTF8.GetBytes(json), out var message, out var error, out var id);
        Assert.Equal(ok, message is not null);
        return (message, error, id);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"ping"} trailing""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"ping",}""")]
    public void Invalid_json_is_a_parse_error_32700(string json)
    {
        var (_, error, id) = Parse(json);
        Assert.Equal(McpErrorCodes.ParseError, error!.Code);
        Assert.Null(id);
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":null,"method":"ping"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1.5,"method":"ping"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":true,"method":"ping"}""")]
    [InlineData("""{"jsonrpc":"1.0","id":1,"method":"ping"}""")]
    [InlineData("""{"id":1,"method":"ping"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":7}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"result":{},"error":{"code":1,"message":"x"}}""")]
    [InlineData("""{"jsonrpc":"2.0","result":{}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"ping","result":{}}""")]
    [InlineData("""[1,2]""")]
    [InlineData("""42""")]
    public void Valid_json_that_is_not_a_message_is_an_invalid_request_32600_BASE_REQ_ID_NOTNULL(string json)
    {
        var (_, error, _) = Parse(json);
        Assert.Equal(McpErrorCodes.InvalidRequest, error!.Code);
    }

    [Fact]
    public void An_invalid_request_with_a_readable_id_reports_that_id()
    {
        var (_, error, id) = Parse("""{"jsonrpc":"1.0","id":"abc","method":"ping"}""");
        Assert.Equal(McpErrorCodes.InvalidRequest, error!.Code);
        Assert.Equal(new RequestId("abc"), id);
    }

    [Fact]
    public void Request_keeps_the_id_form_and_the_raw_params_and_finds_the_progress_token()
    {
        var (message, _, _) = Parse("""{"params":{"name":"x","_meta":{"progressToken":"tok"}},"method":"tools/call","id":"7","jsonrpc":"2.0"}""");
        var request = Assert.IsType<JsonRpcRequest>(message);
        Assert.Equal(new RequestId("7"), request.Id);
        Assert.NotEqual(new RequestId(7), request.Id);
        Assert.Same(McpMethods.ToolsCall, request.Method);
        Assert.Equal(new ProgressToken("tok"), request.ProgressToken);
        Assert.Equal("""{"name":"x","_meta":{"progressToken":"tok"}}""", Encoding.UTF8.GetString(request.Params.Raw.Span));
    }

    [Fact]
    public void Notification_response_and_error_are_recognised()
    {
        Assert.IsType<JsonRpcNotification>(Parse("""{"jsonrpc":"2.0","method":"notifications/initialized"}""").Message);
        var response = Assert.IsType<JsonRpcResponse>(Parse("""{"jsonrpc":"2.0","id":3,"result":{"a":1}}""").Message);
        Assert.Equal(new RequestId(3), response.Id);
        var error = Assert.IsType<JsonRpcErrorResponse>(Parse("""{"jsonrpc":"2.0","id":4,"error":{"code":-32601,"message":"nope","data":{"x":1}}}""").Message);
        Assert.Equal(-32601, error.Error.Code);
        Assert.Equal(1, error.Error.Data!.Value.GetProperty("x").GetInt32());
    }

    [Fact]
    public void Messages_written_are_compact_single_lines_STDIO_NEWLINE()
    {
        var message = new JsonRpcResponse(new RequestId(1), JsonPayload.FromValue(CallToolResult.FromText("line1\nline2"), McpJsonContext.Default.CallToolResult));
        string text = Encoding.UTF8.GetString(JsonRpcMessageWriter.ToUtf8Bytes(message));
        Assert.DoesNotContain('\n', text);
        Assert.Equal("""{"jsonrpc":"2.0","id":1,"result":{"content":[{"type":"text","text":"line1\nline2"}]}}""", text);
    }

    [Fact]
    public void Error_without_id_is_written_with_id_null()
    {
        string text = Encoding.UTF8.GetString(JsonRpcMessageWriter.ToUtf8Bytes(new JsonRpcErrorResponse(null, new JsonRpcError(-32700, "Parse error"))));
        Assert.Equal("""{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}""", text);
    }

    [Fact]
    public void Batch_is_split_into_its_elements()
    {
        var elements = new List<ReadOnlyMemory<byte>>();
        Assert.True(JsonRpcMessageParser.IsBatch(" [ {}"u8));
        Assert.True(JsonRpcMessageParser.TrySplitBatch(Encoding.UTF8.GetBytes("""[{"jsonrpc":"2.0","method":"a"}, {"jsonrpc":"2.0","id":1,"method":"b"}]"""), elements, out _));
        Assert.Equal(2, elements.Count);
        Assert.False(JsonRpcMessageParser.TrySplitBatch("[]"u8.ToArray(), [], out var error));
        Assert.Equal(McpErrorCodes.InvalidRequest, error!.Code);
    }
}

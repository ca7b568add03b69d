using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using McpSharp.JsonRpc;
using McpSharp.Protocol;

namespace McpSharp.Tests;

/// <summary>
/// Properties of the JSON-RPC layer over generated inputs (CsCheck, seeded and shrinking): arbitrary bytes never throw
/// out of the parser or the batch splitter; every message the writer makes parses back to the same message.
/// </summary>
public sealed class JsonRpcPropertyTests
{
    // A JSON value of bounded depth: what params, results and error data may hold.
    private static readonly Gen<JsonNode?> Value = Gen.Recursive<JsonNode?>((depth, self) =>
    {
        var leaf = Gen.OneOf<JsonNode?>(
            Gen.Bool.Select(_ => (JsonNode?)null),
            Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b)),
            Gen.Long.Select(n => (JsonNode?)JsonValue.Create(n)),
            Gen.Double.Where(double.IsFinite).Select(d => (JsonNode?)JsonValue.Create(d)),
            Gen.String.Select(s => (JsonNode?)JsonValue.Create(s)));
        return depth >= 3 ? leaf : Gen.Frequency(
            (3, leaf),
            (1, self.Array[0, 4].Select(items => (JsonNode?)new JsonArray([.. items]))),
            (1, Object(self)));
    });

    private static readonly Gen<JsonNode> Params = Gen.OneOf(Object(Value), Value.Array[0, 4].Select(items => (JsonNode?)new JsonArray([.. items]))).Select(n => n!);

    private static readonly Gen<RequestId> Id = Gen.OneOf(Gen.Long.Select(n => new RequestId(n)), Gen.String.Select(s => new RequestId(s)));

    // A method name: any text but the one the protocol reserves for cancellation (whose parameters are checked).
    private static readonly Gen<string> Method = Gen.String.Where(m => m.Length > 0 && m != McpMethods.NotificationsCancelled);

    private static Gen<JsonNode?> Object(Gen<JsonNode?> members) =>
        Gen.Dictionary(Gen.String.Where(k => k != "_meta"), members)[0, 4].Select(d =>
        {
            var obj = new JsonObject();
            foreach (var (key, value) in d)
            {
                obj[key] = value;
            }

            return (JsonNode?)obj;
        });

    private static JsonPayload Raw(JsonNode? node) => JsonPayload.FromRaw(Encoding.UTF8.GetBytes(node?.ToJsonString() ?? "null"));

    private static JsonNode? Parsed(JsonPayload payload) => JsonNode.Parse(payload.Raw.Span);

    [Fact]
    public void Arbitrary_bytes_never_throw_out_of_the_parser_or_the_batch_splitter()
    {
        Gen.Byte.Array[0, 300].Sample(bytes =>
        {
            if (JsonRpcMessageParser.IsBatch(bytes))
            {
                JsonRpcMessageParser.TrySplitBatch(bytes, [], out _);
            }

            bool parsed = JsonRpcMessageParser.TryParse(bytes, out var message, out var error, out _);
            Assert.True(parsed ? message is not null : error is not null);
        }, iter: 20_000);
    }

    [Fact]
    public void Mutated_messages_never_throw_out_of_the_parser()
    {
        Gen.Select(Id, Method, Params, Gen.Int[0, 200], Gen.Byte).Sample((id, method, parameters, at, noise) =>
        {
            byte[] bytes = JsonRpcMessageWriter.ToUtf8Bytes(new JsonRpcRequest(id, method, Raw(parameters)));
            bytes[at % bytes.Length] = noise;
            bool parsed = JsonRpcMessageParser.TryParse(bytes, out var message, out var error, out _);
            Assert.True(parsed ? message is not null : error is not null);
        }, iter: 5_000);
    }

    [Fact]
    public void Requests_and_notifications_round_trip_exactly()
    {
        Gen.Select(Id, Method, Params).Sample((id, method, parameters) =>
        {
            var request = Assert.IsType<JsonRpcRequest>(RoundTrip(new JsonRpcRequest(id, method, Raw(parameters))));
            Assert.Equal(id, request.Id);
            Assert.Equal(method, request.Method);
            Assert.True(JsonNode.DeepEquals(parameters, Parsed(request.Params)));

            var notification = Assert.IsType<JsonRpcNotification>(RoundTrip(new JsonRpcNotification(method, Raw(parameters))));
            Assert.Equal(method, notification.Method);
            Assert.True(JsonNode.DeepEquals(parameters, Parsed(notification.Params)));
        }, iter: 2_000);
    }

    [Fact]
    public void Results_and_errors_round_trip_exactly()
    {
        Gen.Select(Id, Value, Gen.Int, Gen.String).Sample((id, result, code, text) =>
        {
            var response = Assert.IsType<JsonRpcResponse>(RoundTrip(new JsonRpcResponse(id, Raw(result))));
            Assert.Equal(id, response.Id);
            Assert.True(JsonNode.DeepEquals(result, Parsed(response.Result)));

            var error = Assert.IsType<JsonRpcErrorResponse>(RoundTrip(new JsonRpcErrorResponse(id, new JsonRpcError(code, text))));
            Assert.Equal(id, error.Id);
            Assert.Equal(code, error.Error.Code);
            Assert.Equal(text, error.Error.Message);
        }, iter: 2_000);
    }

    private static JsonRpcMessage RoundTrip(JsonRpcMessage message)
    {
        byte[] bytes = JsonRpcMessageWriter.ToUtf8Bytes(message);
        Assert.True(JsonRpcMessageParser.TryParse(bytes, out var parsed, out var error, out _), error?.Message);
        return parsed;
    }
}

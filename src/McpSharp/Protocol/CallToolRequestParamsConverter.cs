using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace McpSharp.Protocol;

/// <summary>
/// Reads and writes <c>tools/call</c> parameters by hand: the request every tool call parses. The source-generated
/// metadata reads this type through System.Text.Json's parameterized-constructor path (its <c>required</c> name), the
/// largest single MCP cost in the HTTP profile (bench/RESULTS.md). The contract is the generated one
/// (<see cref="HandWrittenJson"/>), with one difference on purpose: a null <c>name</c> is refused (the schema says
/// string), where the generated reader let it through as a null name.
/// </summary>
internal sealed class CallToolRequestParamsConverter : JsonConverter<CallToolRequestParams>
{
    private const int Name = 0, Arguments = 1, InputResponses = 2, RequestState = 3, Meta = 4;
    private static readonly HandWrittenJson.Members Names = new("name", "arguments", "inputResponses", "requestState", "_meta");

    public override CallToolRequestParams Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("tools/call params must be an object.");
        }

        string? name = null, requestState = null;
        Dictionary<string, JsonElement>? arguments = null, inputResponses = null, additional = null;
        JsonObject? meta = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            int member = Names.Match(ref reader, out string? unknown);
            reader.Read();
            switch (member)
            {
                case Name:
                    name = HandWrittenJson.ReadString(ref reader, "name");
                    break;
                case Arguments:
                    arguments = HandWrittenJson.ReadElements(ref reader, "arguments");
                    break;
                case InputResponses:
                    inputResponses = HandWrittenJson.ReadElements(ref reader, "inputResponses");
                    break;
                case RequestState:
                    requestState = HandWrittenJson.ReadString(ref reader, "requestState");
                    break;
                case Meta:
                    meta = HandWrittenJson.ReadMeta(ref reader);
                    break;
                default:
                    HandWrittenJson.ReadAdditional(ref reader, unknown!, ref additional);
                    break;
            }
        }

        return new CallToolRequestParams
        {
            Name = name ?? throw new JsonException("tools/call params need a string 'name'."),
            Arguments = arguments,
            InputResponses = inputResponses,
            RequestState = requestState,
            Meta = meta,
            AdditionalProperties = additional,
        };
    }

    public override void Write(Utf8JsonWriter writer, CallToolRequestParams value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        if (value.Name is not null)
        {
            writer.WriteString("name"u8, value.Name);
        }

        HandWrittenJson.WriteElements(writer, "arguments"u8, value.Arguments);
        HandWrittenJson.WriteElements(writer, "inputResponses"u8, value.InputResponses);
        if (value.RequestState is not null)
        {
            writer.WriteString("requestState"u8, value.RequestState);
        }

        HandWrittenJson.WriteMetaAndAdditional(writer, value);
        writer.WriteEndObject();
    }
}

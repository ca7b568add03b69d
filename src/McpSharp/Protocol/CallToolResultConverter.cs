using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace McpSharp.Protocol;

/// <summary>
/// Reads and writes <c>tools/call</c> results by hand: the result every tool call writes (server) and reads (client).
/// A plain text block, the common case, is written straight; any other block goes through the generated polymorphic
/// metadata. The contract is the generated one (<see cref="HandWrittenJson"/>), with two differences on purpose: a
/// null <c>content</c> reads as no blocks (the type promises a list), and a null block is refused (the schema has
/// none), where the generated reader let both through as nulls.
/// </summary>
internal sealed class CallToolResultConverter : JsonConverter<CallToolResult>
{
    private const int Content = 0, StructuredContent = 1, IsError = 2, Meta = 3;
    private static readonly HandWrittenJson.Members Names = new("content", "structuredContent", "isError", "_meta");

    public override CallToolResult Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A tools/call result must be an object.");
        }

        var result = new CallToolResult();
        Dictionary<string, JsonElement>? additional = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            int member = Names.Match(ref reader, out string? unknown);
            reader.Read();
            switch (member)
            {
                case Content:
                    result.Content = ReadContent(ref reader);
                    break;
                case StructuredContent:
                    result.StructuredContent = reader.TokenType == JsonTokenType.Null ? null : JsonElement.ParseValue(ref reader);
                    break;
                case IsError:
                    result.IsError = reader.TokenType switch
                    {
                        JsonTokenType.Null => null,
                        JsonTokenType.True => true,
                        JsonTokenType.False => false,
                        _ => throw new JsonException("'isError' must be a boolean."),
                    };
                    break;
                case Meta:
                    result.Meta = HandWrittenJson.ReadMeta(ref reader);
                    break;
                default:
                    HandWrittenJson.ReadAdditional(ref reader, unknown!, ref additional);
                    break;
            }
        }

        if (result.Content.Contains(null!))
        {
            throw new JsonException("A content block cannot be null.");
        }

        result.AdditionalProperties = additional;
        return result;
    }

    public override void Write(Utf8JsonWriter writer, CallToolResult value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        if (value.Content is { } content)
        {
            writer.WriteStartArray("content"u8);
            foreach (var block in content)
            {
                WriteBlock(writer, block);
            }

            writer.WriteEndArray();
        }

        if (value.StructuredContent is { } structured)
        {
            writer.WritePropertyName("structuredContent"u8);
            structured.WriteTo(writer);
        }

        if (value.IsError is { } isError)
        {
            writer.WriteBoolean("isError"u8, isError);
        }

        HandWrittenJson.WriteMetaAndAdditional(writer, value);
        writer.WriteEndObject();
    }

    private static List<ContentBlock> ReadContent(ref Utf8JsonReader reader)
    {
        var blocks = new List<ContentBlock>();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return blocks;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("'content' must be an array.");
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            // A null block is refused once the result is read: a later duplicate 'content' may still replace this one.
            blocks.Add(JsonSerializer.Deserialize(ref reader, McpJsonContext.Default.ContentBlock)!);
        }

        return blocks;
    }

    private static void WriteBlock(Utf8JsonWriter writer, ContentBlock? block)
    {
        if (block is TextContentBlock { Annotations: null, Meta: null, AdditionalProperties: null, Text: { } text })
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, "text"u8);
            writer.WriteString("text"u8, text);
            writer.WriteEndObject();
            return;
        }

        JsonSerializer.Serialize(writer, block, McpJsonContext.Default.ContentBlock);
    }
}

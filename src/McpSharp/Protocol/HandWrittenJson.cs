using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace McpSharp.Protocol;

/// <summary>
/// What the hand-written converters of the hot protocol types share, so that each keeps the contract the
/// source-generated metadata has for every MCP type (web defaults): member names matched exactly, then ignoring case;
/// unknown members kept in <see cref="McpObject.AdditionalProperties"/> (the last of duplicates wins) and written last;
/// <c>_meta</c> read as an object and written just before them.
/// </summary>
internal static class HandWrittenJson
{
    /// <summary>A type's member names, in the order it writes them, as text and as UTF-8.</summary>
    internal sealed class Members(params string[] names)
    {
        private readonly byte[][] _utf8 = [.. names.Select(Encoding.UTF8.GetBytes)];

        /// <summary>
        /// The index of the member the reader is on (a property name), or -1 with its name in <paramref name="unknown"/>.
        /// The exact names are tried first, with no string made.
        /// </summary>
        public int Match(ref Utf8JsonReader reader, out string? unknown)
        {
            unknown = null;
            for (int i = 0; i < _utf8.Length; i++)
            {
                if (reader.ValueTextEquals(_utf8[i]))
                {
                    return i;
                }
            }

            string text = reader.GetString()!;
            for (int i = 0; i < names.Length; i++)
            {
                if (string.Equals(text, names[i], StringComparison.OrdinalIgnoreCase))
                {
                    return i;
                }
            }

            unknown = text;
            return -1;
        }
    }

    /// <summary>Reads an unknown member's value into the extension data (made on first use).</summary>
    public static void ReadAdditional(ref Utf8JsonReader reader, string name, ref Dictionary<string, JsonElement>? additional) =>
        (additional ??= new Dictionary<string, JsonElement>(StringComparer.Ordinal))[name] = JsonElement.ParseValue(ref reader);

    /// <summary>Reads <c>_meta</c>: an object, or null for JSON null.</summary>
    public static JsonObject? ReadMeta(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.StartObject => JsonSerializer.Deserialize(ref reader, McpJsonContext.Default.JsonObject),
        _ => throw new JsonException("'_meta' must be an object."),
    };

    /// <summary>Reads a string member, null for JSON null.</summary>
    public static string? ReadString(ref Utf8JsonReader reader, string member) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.String => reader.GetString(),
        _ => throw new JsonException($"'{member}' must be a string."),
    };

    /// <summary>Reads an object of JSON values (null for JSON null): one document, its members' values pointing into it.</summary>
    public static Dictionary<string, JsonElement>? ReadElements(ref Utf8JsonReader reader, string member)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"'{member}' must be an object.");
        }

        var elements = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in JsonElement.ParseValue(ref reader).EnumerateObject())
        {
            elements[property.Name] = property.Value;
        }

        return elements;
    }

    /// <summary>Writes an object of JSON values, nothing when null.</summary>
    public static void WriteElements(Utf8JsonWriter writer, ReadOnlySpan<byte> member, Dictionary<string, JsonElement>? elements)
    {
        if (elements is null)
        {
            return;
        }

        writer.WriteStartObject(member);
        foreach (var (key, element) in elements)
        {
            writer.WritePropertyName(key);
            element.WriteTo(writer);
        }

        writer.WriteEndObject();
    }

    /// <summary>Writes what every MCP object ends with: <c>_meta</c> (when set), then the unknown members.</summary>
    public static void WriteMetaAndAdditional(Utf8JsonWriter writer, McpMetaObject value)
    {
        if (value.Meta is not null)
        {
            writer.WritePropertyName("_meta"u8);
            value.Meta.WriteTo(writer);
        }

        if (value.AdditionalProperties is { } additional)
        {
            foreach (var (key, element) in additional)
            {
                writer.WritePropertyName(key);
                element.WriteTo(writer);
            }
        }
    }
}

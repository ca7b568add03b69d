using System.Text.Json;
using System.Text.Json.Serialization;

namespace McpSharp.Protocol;

/// <summary>
/// A content block, discriminated by <c>type</c>: text, image, audio, resource_link, resource (embedded), and in
/// sampling messages also tool_use and tool_result (TOOL-RESULT-SHAPE, SAMP-CONTENT).
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(TextContentBlock), "text")]
[JsonDerivedType(typeof(ImageContentBlock), "image")]
[JsonDerivedType(typeof(AudioContentBlock), "audio")]
[JsonDerivedType(typeof(ResourceLinkBlock), "resource_link")]
[JsonDerivedType(typeof(EmbeddedResourceBlock), "resource")]
[JsonDerivedType(typeof(ToolUseContentBlock), "tool_use")]
[JsonDerivedType(typeof(ToolResultContentBlock), "tool_result")]
public abstract class ContentBlock : McpMetaObject
{
    /// <summary>Audience, priority and modification time.</summary>
    public Annotations? Annotations { get; set; }
}

/// <summary>Plain text.</summary>
public sealed class TextContentBlock : ContentBlock
{
    /// <summary>Creates an empty block (for serializers).</summary>
    public TextContentBlock() { }

    /// <summary>Creates a block with the given text.</summary>
    [System.Diagnostics.CodeAnalysis.SetsRequiredMembers]
    public TextContentBlock(string text) => Text = text;

    /// <summary>The text.</summary>
    public required string Text { get; set; }
}

/// <summary>A base64-encoded image.</summary>
public sealed class ImageContentBlock : ContentBlock
{
    /// <summary>Base64 data.</summary>
    public required string Data { get; set; }

    /// <summary>MIME type, e.g. <c>image/png</c>.</summary>
    public required string MimeType { get; set; }
}

/// <summary>Base64-encoded audio.</summary>
public sealed class AudioContentBlock : ContentBlock
{
    /// <summary>Base64 data.</summary>
    public required string Data { get; set; }

    /// <summary>MIME type, e.g. <c>audio/wav</c>.</summary>
    public required string MimeType { get; set; }
}

/// <summary>A link to a resource the client may read (it need not be listed, TOOL-LINK-NOT-LISTED).</summary>
public sealed class ResourceLinkBlock : ContentBlock
{
    /// <summary>The resource URI.</summary>
    public required string Uri { get; set; }

    /// <summary>Programmatic name.</summary>
    public required string Name { get; set; }

    /// <summary>Display name.</summary>
    public string? Title { get; set; }

    /// <summary>Description.</summary>
    public string? Description { get; set; }

    /// <summary>MIME type.</summary>
    public string? MimeType { get; set; }

    /// <summary>Size in bytes.</summary>
    public long? Size { get; set; }

    /// <summary>Icons.</summary>
    public IList<Icon>? Icons { get; set; }
}

/// <summary>A resource embedded in the message.</summary>
public sealed class EmbeddedResourceBlock : ContentBlock
{
    /// <summary>The resource contents.</summary>
    public required ResourceContents Resource { get; set; }
}

/// <summary>A model's request to use a tool (sampling with tools).</summary>
public sealed class ToolUseContentBlock : ContentBlock
{
    /// <summary>Id that the matching tool_result refers to.</summary>
    public required string Id { get; set; }

    /// <summary>Tool name.</summary>
    public required string Name { get; set; }

    /// <summary>Arguments object.</summary>
    public JsonElement Input { get; set; }
}

/// <summary>The result of a tool use (sampling with tools).</summary>
public sealed class ToolResultContentBlock : ContentBlock
{
    /// <summary>The <see cref="ToolUseContentBlock.Id"/> this answers (SAMP-TOOLRESULT-ID).</summary>
    public required string ToolUseId { get; set; }

    /// <summary>Unstructured result.</summary>
    public IList<ContentBlock> Content { get; set; } = [];

    /// <summary>Structured result.</summary>
    public JsonElement? StructuredContent { get; set; }

    /// <summary>True when the tool failed.</summary>
    public bool? IsError { get; set; }
}

/// <summary>
/// The contents of a resource: <see cref="TextResourceContents"/> or <see cref="BlobResourceContents"/>. The JSON has
/// no discriminator; a <c>blob</c> member makes it binary.
/// </summary>
[JsonConverter(typeof(ResourceContentsConverter))]
public abstract class ResourceContents : McpMetaObject
{
    /// <summary>The URI of this resource (or sub-resource).</summary>
    [JsonPropertyOrder(-2)]
    public required string Uri { get; set; }

    /// <summary>MIME type.</summary>
    [JsonPropertyOrder(-1)]
    public string? MimeType { get; set; }
}

/// <summary>Text contents.</summary>
public sealed class TextResourceContents : ResourceContents
{
    /// <summary>The text.</summary>
    public required string Text { get; set; }
}

/// <summary>Binary contents, base64-encoded.</summary>
public sealed class BlobResourceContents : ResourceContents
{
    /// <summary>Base64 data.</summary>
    public required string Blob { get; set; }
}

// Hand-written because the schema discriminates these by the presence of a member, which System.Text.Json
// polymorphism cannot express. Uses the options' resolver, so it stays source-generated and AOT-safe.
internal sealed class ResourceContentsConverter : JsonConverter<ResourceContents>
{
    public override ResourceContents? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("Resource contents must be an object.");
        }

        bool isBlob = HasTopLevelProperty(reader, "blob"u8);
        return isBlob
            ? (ResourceContents?)JsonSerializer.Deserialize(ref reader, options.GetTypeInfo(typeof(BlobResourceContents)))
            : (ResourceContents?)JsonSerializer.Deserialize(ref reader, options.GetTypeInfo(typeof(TextResourceContents)));
    }

    public override void Write(Utf8JsonWriter writer, ResourceContents value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, options.GetTypeInfo(value.GetType()));

    private static bool HasTopLevelProperty(Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        int depth = reader.CurrentDepth;
        while (reader.Read() && reader.CurrentDepth > depth)
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == depth + 1)
            {
                if (reader.ValueTextEquals(name))
                {
                    return true;
                }

                reader.Read();
                reader.TrySkip();
            }
        }

        return false;
    }
}

// The 2025-11-25 sampling schema lets `content` be one block or an array of blocks (SAMP-CONTENT). One block is
// written as an object so that clients of earlier revisions understand it.
internal sealed class SingleOrArrayContentConverter : JsonConverter<IList<ContentBlock>>
{
    public override IList<ContentBlock>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var info = options.GetTypeInfo(typeof(ContentBlock));
        var list = new List<ContentBlock>();
        if (reader.TokenType == JsonTokenType.StartArray)
        {
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                list.Add((ContentBlock)(JsonSerializer.Deserialize(ref reader, info) ?? throw new JsonException("A content block cannot be null.")));
            }
        }
        else
        {
            list.Add((ContentBlock)(JsonSerializer.Deserialize(ref reader, info) ?? throw new JsonException("A content block cannot be null.")));
        }

        return list;
    }

    public override void Write(Utf8JsonWriter writer, IList<ContentBlock> value, JsonSerializerOptions options)
    {
        var info = options.GetTypeInfo(typeof(ContentBlock));
        if (value.Count == 1)
        {
            JsonSerializer.Serialize(writer, value[0], info);
            return;
        }

        writer.WriteStartArray();
        foreach (var block in value)
        {
            JsonSerializer.Serialize(writer, block, info);
        }

        writer.WriteEndArray();
    }
}

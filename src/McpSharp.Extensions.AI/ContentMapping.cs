using System.Text.Json;
using McpSharp.Protocol;
using Microsoft.Extensions.AI;

namespace McpSharp.Extensions.AI;

/// <summary>MCP content blocks to and from Microsoft.Extensions.AI contents, each way in one place.</summary>
internal static class ContentMapping
{
    /// <summary>An MCP block as an <see cref="AIContent"/> (the block kept as its raw representation), or null for tool use and results.</summary>
    public static AIContent? ToAIContent(ContentBlock block)
    {
        AIContent? content = block switch
        {
            TextContentBlock text => new TextContent(text.Text),
            ImageContentBlock image => Data(image.Data, image.MimeType),
            AudioContentBlock audio => Data(audio.Data, audio.MimeType),
            ResourceLinkBlock link when Uri.TryCreate(link.Uri, UriKind.Absolute, out var uri) => new UriContent(uri, link.MimeType ?? "application/octet-stream"),
            ResourceLinkBlock link => new TextContent(link.Uri),
            EmbeddedResourceBlock { Resource: TextResourceContents text } => new TextContent(text.Text),
            EmbeddedResourceBlock { Resource: BlobResourceContents blob } => Data(blob.Blob, blob.MimeType ?? "application/octet-stream"),
            _ => null,
        };
        if (content is not null)
        {
            content.RawRepresentation = block;
        }

        return content;
    }

    /// <summary>
    /// A tool error (<c>isError</c>) for the model: an <see cref="ErrorContent"/> with the texts (or <paramref name="fallback"/>),
    /// then the rest of the content.
    /// </summary>
    public static List<AIContent> ToErrorContents(IList<ContentBlock> content, string fallback, object? raw)
    {
        string message = string.Join("\n", content.OfType<TextContentBlock>().Select(t => t.Text));
        return [new ErrorContent(message.Length > 0 ? message : fallback) { RawRepresentation = raw },
            .. content.Where(c => c is not TextContentBlock).Select(ToAIContent).OfType<AIContent>()];
    }

    /// <summary>An <see cref="AIContent"/> as an MCP block; null for what MCP content cannot carry (reasoning, usage...).</summary>
    public static ContentBlock? ToContentBlock(AIContent content) => content switch
    {
        { RawRepresentation: ContentBlock block and not ToolUseContentBlock and not ToolResultContentBlock } => block,
        TextContent text => new TextContentBlock(text.Text),
        ErrorContent error => new TextContentBlock(error.Message),
        DataContent data when data.HasTopLevelMediaType("image") => new ImageContentBlock { Data = data.Base64Data.ToString(), MimeType = data.MediaType },
        DataContent data when data.HasTopLevelMediaType("audio") => new AudioContentBlock { Data = data.Base64Data.ToString(), MimeType = data.MediaType },
        DataContent data => new EmbeddedResourceBlock { Resource = new BlobResourceContents { Uri = data.Name ?? data.Uri, MimeType = data.MediaType, Blob = data.Base64Data.ToString() } },
        UriContent link => new ResourceLinkBlock { Uri = link.Uri.ToString(), Name = LinkName(link.Uri), MimeType = link.MediaType },
        _ => null,
    };

    /// <summary>A JSON object's properties as function arguments (each value a <see cref="JsonElement"/>).</summary>
    public static Dictionary<string, object?> ToArguments(JsonElement json) =>
        json.ValueKind == JsonValueKind.Object ? json.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone()) : [];

    /// <summary>Any value as JSON: a <see cref="JsonElement"/> as it is, anything else serialized with <paramref name="options"/>.</summary>
    public static JsonElement ToJson(object? value, JsonSerializerOptions options) => value switch
    {
        JsonElement element => element,
        null => JsonDocument.Parse("null").RootElement.Clone(),
        _ => JsonSerializer.SerializeToElement(value, options.GetTypeInfo(value.GetType())),
    };

    private static DataContent Data(string base64, string mediaType) => new($"data:{mediaType};base64,{base64}", mediaType);

    private static string LinkName(Uri uri) =>
        uri.Segments is { Length: > 0 } segments && segments[^1].Trim('/') is { Length: > 0 } last ? Uri.UnescapeDataString(last) : uri.ToString();
}

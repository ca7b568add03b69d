using System.Buffers;
using System.ComponentModel;
using System.Text;
using System.Text.Json;
using McpSharp.Protocol;

namespace McpSharp.Authoring;

/// <summary>Writes a value of <typeparamref name="T"/> as JSON; generated for each structured return type.</summary>
/// <typeparam name="T">The value's type.</typeparam>
public delegate void JsonValueWriter<in T>(Utf8JsonWriter writer, T value);

/// <summary>Maps what a generated tool method returns to a <see cref="CallToolResult"/>. Used by generated code.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ToolResults
{
    /// <summary>A result with no content (a <c>void</c> tool).</summary>
    public static CallToolResult Empty() => new();

    /// <summary>A text result; null gives no content.</summary>
    public static CallToolResult Text(string? text) => text is null ? new() : CallToolResult.FromText(text);

    /// <summary>The result as returned; null gives no content.</summary>
    public static CallToolResult Result(CallToolResult? result) => result ?? new();

    /// <summary>One content block.</summary>
    public static CallToolResult Content(ContentBlock? block) => block is null ? new() : new() { Content = [block] };

    /// <summary>Several content blocks, in order.</summary>
    public static CallToolResult Content(IEnumerable<ContentBlock?>? blocks)
    {
        var result = new CallToolResult();
        if (blocks is not null)
        {
            foreach (var block in blocks)
            {
                if (block is not null)
                {
                    result.Content.Add(block);
                }
            }
        }

        return result;
    }

    /// <summary>Raw bytes: an image or audio block when recognised, otherwise an embedded blob (<see cref="ToolContent.FromBytes"/>).</summary>
    public static CallToolResult Bytes(byte[]? data, string toolName) =>
        data is null ? new() : new() { Content = [ToolContent.FromBytes(data, "mcp:tool-result/" + toolName)] };

    /// <summary>
    /// Structured output: <c>structuredContent</c> is the value written by <paramref name="write"/> (inside
    /// <c>{"result": ...}</c> when <paramref name="wrapped"/>, because structured content must be an object), and a
    /// text block carries the same JSON for clients that ignore structured content.
    /// </summary>
    public static CallToolResult Structured<T>(T value, JsonValueWriter<T> write, bool wrapped)
    {
        ArgumentNullException.ThrowIfNull(write);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, McpSharp.JsonRpc.JsonWriting.Values))
        {
            if (wrapped)
            {
                writer.WriteStartObject();
                writer.WritePropertyName("result"u8);
            }

            write(writer, value);
            if (wrapped)
            {
                writer.WriteEndObject();
            }
        }

        var json = buffer.WrittenSpan;
        return new CallToolResult
        {
            Content = [new TextContentBlock(Encoding.UTF8.GetString(json))],
            StructuredContent = JsonElement.Parse(json),
        };
    }

    /// <summary>The error for a tool that returned null where its output schema promises a value.</summary>
    public static CallToolResult NoValue(string toolName) => CallToolResult.FromError($"Tool '{toolName}' returned no value.");

    /// <summary>Drains an async stream into a list, observing <paramref name="cancellationToken"/>.</summary>
    public static async ValueTask<List<T>> CollectAsync<T>(IAsyncEnumerable<T> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        var list = new List<T>();
        await foreach (var item in items.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            list.Add(item);
        }

        return list;
    }
}

/// <summary>Maps what a generated resource method returns to a <see cref="ReadResourceResult"/>. Used by generated code.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ResourceResults
{
    /// <summary>Text contents at <paramref name="uri"/>.</summary>
    public static ReadResourceResult Text(string uri, string? mimeType, string? text) =>
        new() { Contents = [new TextResourceContents { Uri = uri, MimeType = mimeType, Text = text ?? string.Empty }] };

    /// <summary>Binary contents at <paramref name="uri"/>.</summary>
    public static ReadResourceResult Bytes(string uri, string? mimeType, byte[]? data) =>
        new() { Contents = [new BlobResourceContents { Uri = uri, MimeType = mimeType ?? "application/octet-stream", Blob = Convert.ToBase64String(data ?? []) }] };

    /// <summary>A value as JSON text at <paramref name="uri"/> (MIME type <c>application/json</c> unless declared).</summary>
    public static ReadResourceResult Json<T>(string uri, string? mimeType, T value, JsonValueWriter<T> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, McpSharp.JsonRpc.JsonWriting.Values))
        {
            write(writer, value);
        }

        return Text(uri, mimeType ?? "application/json", Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    /// <summary>One contents entry.</summary>
    public static ReadResourceResult Contents(ResourceContents? contents) => contents is null ? new() : new() { Contents = [contents] };

    /// <summary>Several contents entries.</summary>
    public static ReadResourceResult Contents(IEnumerable<ResourceContents?>? contents) =>
        new() { Contents = contents is null ? [] : [.. contents.OfType<ResourceContents>()] };

    /// <summary>The result as returned.</summary>
    public static ReadResourceResult Result(ReadResourceResult? result) => result ?? new();
}

/// <summary>Maps what a generated prompt method returns to a <see cref="GetPromptResult"/>. Used by generated code.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class PromptResults
{
    /// <summary>One user message with <paramref name="text"/>.</summary>
    public static GetPromptResult Text(string? description, string? text) =>
        new() { Description = description, Messages = text is null ? [] : [new PromptMessage { Role = Role.User, Content = new TextContentBlock(text) }] };

    /// <summary>One user message with <paramref name="content"/>.</summary>
    public static GetPromptResult Content(string? description, ContentBlock? content) =>
        new() { Description = description, Messages = content is null ? [] : [new PromptMessage { Role = Role.User, Content = content }] };

    /// <summary>One message.</summary>
    public static GetPromptResult Message(string? description, PromptMessage? message) =>
        new() { Description = description, Messages = message is null ? [] : [message] };

    /// <summary>Several messages, in order.</summary>
    public static GetPromptResult Messages(string? description, IEnumerable<PromptMessage?>? messages) =>
        new() { Description = description, Messages = messages is null ? [] : [.. messages.OfType<PromptMessage>()] };

    /// <summary>The result as returned; its description defaults to the prompt's.</summary>
    public static GetPromptResult Result(string? description, GetPromptResult? result)
    {
        result ??= new GetPromptResult();
        result.Description ??= description;
        return result;
    }
}

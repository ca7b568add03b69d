using McpSharp.Protocol;

namespace McpSharp.Authoring;

/// <summary>Builds content blocks for tool results from bytes and text.</summary>
public static class ToolContent
{
    /// <summary>A text block.</summary>
    public static TextContentBlock Text(string text) => new(text);

    /// <summary>An image block (base64 of <paramref name="data"/>).</summary>
    public static ImageContentBlock Image(ReadOnlySpan<byte> data, string mimeType) =>
        new() { Data = Convert.ToBase64String(data), MimeType = mimeType };

    /// <summary>An audio block (base64 of <paramref name="data"/>).</summary>
    public static AudioContentBlock Audio(ReadOnlySpan<byte> data, string mimeType) =>
        new() { Data = Convert.ToBase64String(data), MimeType = mimeType };

    /// <summary>
    /// A block for raw bytes: an image or audio block when the bytes start with the signature of PNG, JPEG, GIF, WebP,
    /// WAV, MP3, OGG or FLAC; otherwise an embedded <c>application/octet-stream</c> blob at <paramref name="uri"/>.
    /// </summary>
    public static ContentBlock FromBytes(ReadOnlySpan<byte> data, string uri = "mcp:tool-result")
    {
        string? mime = Sniff(data);
        if (mime is null)
        {
            return new EmbeddedResourceBlock { Resource = new BlobResourceContents { Uri = uri, MimeType = "application/octet-stream", Blob = Convert.ToBase64String(data) } };
        }

        return mime.StartsWith("image/", StringComparison.Ordinal) ? Image(data, mime) : Audio(data, mime);
    }

    private static string? Sniff(ReadOnlySpan<byte> d) => d switch
    {
        [0x89, 0x50, 0x4E, 0x47, ..] => "image/png",
        [0xFF, 0xD8, 0xFF, ..] => "image/jpeg",
        [0x47, 0x49, 0x46, 0x38, ..] => "image/gif",
        [0x52, 0x49, 0x46, 0x46, _, _, _, _, 0x57, 0x45, 0x42, 0x50, ..] => "image/webp",
        [0x52, 0x49, 0x46, 0x46, _, _, _, _, 0x57, 0x41, 0x56, 0x45, ..] => "audio/wav",
        [0x49, 0x44, 0x33, ..] or [0xFF, 0xFB, ..] or [0xFF, 0xF3, ..] or [0xFF, 0xF2, ..] => "audio/mpeg",
        [0x4F, 0x67, 0x67, 0x53, ..] => "audio/ogg",
        [0x66, 0x4C, 0x61, 0x43, ..] => "audio/flac",
        _ => null,
    };
}

using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using McpSharp.Protocol;
using Spectre.Console;

namespace McpSharp.Cli;

/// <summary>How results reach the terminal: indented JSON (for <c>--json</c> and structured values), Spectre tables, text blocks.</summary>
internal static class Output
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes <paramref name="value"/> as indented JSON, then a newline.</summary>
    public static Task WriteJsonAsync<T>(TextWriter output, T value, JsonTypeInfo<T> typeInfo) => output.WriteLineAsync(Json(value, typeInfo));

    /// <summary>Writes an object of named JSON members: each value written by its own callback.</summary>
    public static Task WriteJsonObjectAsync(TextWriter output, params (string Name, Action<Utf8JsonWriter> Write)[] members)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Indented))
        {
            writer.WriteStartObject();
            foreach (var (name, write) in members)
            {
                writer.WritePropertyName(name);
                write(writer);
            }

            writer.WriteEndObject();
        }

        return output.WriteLineAsync(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    /// <summary>JSON of <paramref name="value"/>, indented unless <paramref name="indented"/> is false (one line).</summary>
    public static string Json<T>(T value, JsonTypeInfo<T> typeInfo, bool indented = true)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, indented ? Indented : Compact))
        {
            JsonSerializer.Serialize(writer, value, typeInfo);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// A console that writes to <paramref name="output"/>: colors and the terminal's width when it is a terminal; 160
    /// columns when it is a file or a pipe (80, the default, folds every table).
    /// </summary>
    public static IAnsiConsole Console(TextWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        if (!ReferenceEquals(output, System.Console.Out) || System.Console.IsOutputRedirected)
        {
            console.Profile.Width = 160;
        }

        return console;
    }

    /// <summary>The text of a content block: its text, or a one-line description of what it holds.</summary>
    public static string Describe(ContentBlock block) => block switch
    {
        TextContentBlock text => text.Text,
        ImageContentBlock image => $"[image {image.MimeType}, {Base64Bytes(image.Data)} bytes]",
        AudioContentBlock audio => $"[audio {audio.MimeType}, {Base64Bytes(audio.Data)} bytes]",
        ResourceLinkBlock link => $"[resource link {link.Uri}]",
        EmbeddedResourceBlock embedded => embedded.Resource is TextResourceContents text ? text.Text : $"[resource {embedded.Resource.Uri}]",
        _ => Json(block, McpJsonContext.Default.ContentBlock),
    };

    /// <summary>About how many bytes a base64 text holds (for descriptions, not for decoding).</summary>
    public static int Base64Bytes(string base64) => base64.Length * 3 / 4;
}

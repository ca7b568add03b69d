using System.Text.Encodings.Web;
using System.Text.Json;

namespace McpSharp.JsonRpc;

/// <summary>
/// How McpSharp writes JSON. MCP messages never travel inside HTML, so the default encoder's HTML-safe escaping
/// (<c>'</c> as <c>\u0027</c>, <c>+</c> as <c>\u002B</c>, every non-ASCII character as <c>\uXXXX</c>) only costs
/// bytes and time; the relaxed encoder still escapes what JSON itself requires (quotes, backslashes, control characters).
/// </summary>
internal static class JsonWriting
{
    /// <summary>Writer options for messages (structure is correct by construction: no validation).</summary>
    public static readonly JsonWriterOptions Messages = new() { SkipValidation = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writer options for values written by user or generated code (validated).</summary>
    public static readonly JsonWriterOptions Values = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}

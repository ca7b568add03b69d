using System.ComponentModel;
using System.Globalization;
using McpSharp.Protocol;

namespace McpSharp.Authoring;

/// <summary>
/// Converts text arguments (URI template variables, prompt arguments) to the parameter types of generated resource and
/// prompt methods. Used by generated code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class TextArgument
{
    /// <summary>Parses <paramref name="text"/> with the invariant culture.</summary>
    public static bool TryParse<T>(string text, out T value)
        where T : IParsable<T> => T.TryParse(text, CultureInfo.InvariantCulture, out value!);

    /// <summary>Parses an enum name, ignoring case.</summary>
    public static bool TryParseEnum<T>(string text, out T value)
        where T : struct, Enum => Enum.TryParse(text, ignoreCase: true, out value) && Enum.IsDefined(value);

    /// <summary>The error for a URI whose template variable does not convert: no such resource (RES-ERR-NOTFOUND).</summary>
    public static McpProtocolException ResourceNotFound(string uri, string variable, string expected) =>
        new(McpErrorCodes.ResourceNotFound, $"Resource not found: {uri} ('{variable}' must be {expected}).");

    /// <summary>The error for a prompt argument that does not convert.</summary>
    public static McpProtocolException InvalidPromptArgument(string prompt, string argument, string expected) =>
        new(McpErrorCodes.InvalidParams, $"Invalid argument '{argument}' for prompt '{prompt}': must be {expected}.");
}

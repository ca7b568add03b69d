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

    /// <summary>Parses one of an enum's names (as its schema lists them), ignoring case; numbers are not names.</summary>
    public static bool TryParseEnum<T>(string text, string[] names, T[] values, out T value)
        where T : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(values);
        for (int i = 0; i < names.Length; i++)
        {
            if (string.Equals(text, names[i], StringComparison.OrdinalIgnoreCase))
            {
                value = values[i];
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>An absolute URI with an explicit scheme (a bare <c>/path</c>, which .NET reads as a file on Unix, is not one).</summary>
    public static bool TryParseUri(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Uri? value)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Uri.TryCreate(text, UriKind.Absolute, out value) && !(value.IsFile && !text.StartsWith("file:", StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        value = null;
        return false;
    }

    /// <summary>The error for a URI whose template variable does not convert: no such resource (RES-ERR-NOTFOUND).</summary>
    public static McpProtocolException ResourceNotFound(string uri, string variable, string expected) =>
        new(McpErrorCodes.ResourceNotFound, $"Resource not found: {uri} ('{variable}' must be {expected}).");

    /// <summary>The error for a prompt argument that does not convert.</summary>
    public static McpProtocolException InvalidPromptArgument(string prompt, string argument, string expected) =>
        new(McpErrorCodes.InvalidParams, $"Invalid argument '{argument}' for prompt '{prompt}': must be {expected}.");
}

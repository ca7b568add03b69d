using System.Globalization;
using System.Text.Json;

namespace McpSharp.Protocol;

/// <summary>
/// The <c>x-mcp-header</c> annotations of a tool's <c>inputSchema</c> (2026-07-28, over HTTP): which arguments travel also as
/// <c>Mcp-Param-{Name}</c> headers, at which property path. An annotation is valid only when its name is a non-empty
/// RFC 9110 token, unique (case-insensitively) within the schema, on a string, integer or boolean property reached
/// from the root through <c>properties</c> alone (M26-HTTP-XMCP-VALIDITY); a tool with any invalid one is invalid.
/// </summary>
public sealed class ToolParameterHeaders
{
    private static readonly ToolParameterHeaders None = new([]);

    private ToolParameterHeaders(IReadOnlyList<ToolParameterHeader> headers) => Headers = headers;

    /// <summary>The annotated parameters, in schema order.</summary>
    public IReadOnlyList<ToolParameterHeader> Headers { get; }

    /// <summary>Reads the annotations of <paramref name="tool"/>; false with the reason when one is invalid.</summary>
    public static bool TryRead(Tool tool, out ToolParameterHeaders headers, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(tool);
        var found = new List<ToolParameterHeader>();
        problem = Walk(tool.InputSchema, [], found, reachable: true);
        if (problem is null)
        {
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var header in found)
            {
                if (!seen.Add(header.Name))
                {
                    problem = $"x-mcp-header '{header.Name}' is used twice (names compare case-insensitively)";
                    break;
                }
            }
        }

        headers = problem is null ? (found.Count == 0 ? None : new ToolParameterHeaders(found)) : None;
        return problem is null;
    }

    private static string? Walk(JsonElement schema, string[] path, List<ToolParameterHeader> found, bool reachable)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var member in schema.EnumerateObject())
        {
            if (member.NameEquals("x-mcp-header"))
            {
                if (!reachable || path.Length == 0)
                {
                    return $"x-mcp-header at '{(path.Length == 0 ? "(root)" : string.Join('.', path))}' is not on a property reached through 'properties' alone";
                }

                if (member.Value.ValueKind != JsonValueKind.String || !IsToken(member.Value.GetString()!))
                {
                    return $"x-mcp-header of '{string.Join('.', path)}' is not a non-empty header name token";
                }

                string? type = schema.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                if (type is not ("string" or "integer" or "boolean"))
                {
                    return $"x-mcp-header of '{string.Join('.', path)}' is on a property of type '{type ?? "(none)"}' (string, integer or boolean only)";
                }

                found.Add(new ToolParameterHeader(member.Value.GetString()!, path, type));
            }
            else if (member.NameEquals("properties") && member.Value.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in member.Value.EnumerateObject())
                {
                    if (Walk(property.Value, [.. path, property.Name], found, reachable) is { } problem)
                    {
                        return problem;
                    }
                }
            }
            else if (member.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
            {
                // items, anyOf, $defs, if/then/else...: annotations below are not statically reachable.
                IEnumerable<JsonElement> nested = member.Value.ValueKind == JsonValueKind.Array ? member.Value.EnumerateArray() : [member.Value];
                foreach (var item in nested)
                {
                    if (Walk(item, [.. path, member.Name], found, reachable: false) is { } problem)
                    {
                        return problem;
                    }
                }
            }
        }

        return null;
    }

    // RFC 9110 token: 1*tchar.
    private static bool IsToken(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal));
}

/// <summary>One <c>x-mcp-header</c> annotation: the header name suffix, the property path and the property's type.</summary>
public sealed class ToolParameterHeader
{
    internal ToolParameterHeader(string name, string[] path, string type)
    {
        Name = name;
        Path = path;
        Type = type;
    }

    /// <summary>The <c>{Name}</c> of <c>Mcp-Param-{Name}</c>.</summary>
    public string Name { get; }

    /// <summary>The chain of <c>properties</c> keys from the root to the parameter.</summary>
    public IReadOnlyList<string> Path { get; }

    /// <summary><c>string</c>, <c>integer</c> or <c>boolean</c>.</summary>
    public string Type { get; }

    /// <summary>The value at <see cref="Path"/> in the arguments as header text; false when absent or null.</summary>
    public bool TryGetText(IReadOnlyDictionary<string, JsonElement>? arguments, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? text)
    {
        text = null;
        if (arguments is null || !arguments.TryGetValue(Path[0], out var value))
        {
            return false;
        }

        for (int i = 1; i < Path.Count; i++)
        {
            if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(Path[i], out value))
            {
                return false;
            }
        }

        text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => null,
        };
        return text is not null;
    }

    /// <summary>
    /// Whether a header's decoded <paramref name="text"/> matches the argument value <paramref name="value"/>: strings
    /// exactly, integers numerically (so 42 and 42.0 agree), booleans as true/false (M26-HTTP-XMCP-SERVER).
    /// </summary>
    public static bool Matches(string text, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => string.Equals(text, value.GetString(), StringComparison.Ordinal),
        JsonValueKind.Number => decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal header)
            && value.TryGetDecimal(out decimal body) && header == body,
        JsonValueKind.True => text == "true",
        JsonValueKind.False => text == "false",
        _ => false,
    };
}

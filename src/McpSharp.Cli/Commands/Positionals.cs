namespace McpSharp.Cli.Commands;

/// <summary>Reading the positional arguments that follow the target.</summary>
internal static class Positionals
{
    /// <summary>Reads <c>key=value</c> pairs; a value that parses as JSON is that JSON (numbers, booleans, objects), else a string.</summary>
    public static Dictionary<string, System.Text.Json.JsonElement> KeyValues(IEnumerable<string> pairs) =>
        Texts(pairs).ToDictionary(p => p.Key, p => ParseValue(p.Value), StringComparer.Ordinal);

    /// <summary>Reads <c>key=value</c> pairs as written (the last of a repeated key wins).</summary>
    /// <exception cref="UsageException">A pair with no key or no '='.</exception>
    public static Dictionary<string, string> Texts(IEnumerable<string> pairs)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string pair in pairs)
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            values[equals > 0 ? pair[..equals] : throw new UsageException($"An argument is key=value, not '{pair}'.")] = pair[(equals + 1)..];
        }

        return values;
    }

    private static System.Text.Json.JsonElement ParseValue(string value)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(value);
            return document.RootElement.Clone();
        }
        catch (System.Text.Json.JsonException)
        {
            return System.Text.Json.JsonSerializer.SerializeToElement(value, Protocol.McpJsonContext.Default.String);
        }
    }
}

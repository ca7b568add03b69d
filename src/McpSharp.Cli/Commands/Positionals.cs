namespace McpSharp.Cli.Commands;

/// <summary>Reading the positional arguments that follow the target.</summary>
internal static class Positionals
{
    /// <summary>Reads <c>key=value</c> pairs; a value that parses as JSON is that JSON (numbers, booleans, objects), else a string.</summary>
    public static Dictionary<string, System.Text.Json.JsonElement> KeyValues(IEnumerable<string> pairs)
    {
        var values = new Dictionary<string, System.Text.Json.JsonElement>(StringComparer.Ordinal);
        foreach (string pair in pairs)
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new UsageException($"An argument is key=value, not '{pair}'.");
            }

            string value = pair[(equals + 1)..];
            values[pair[..equals]] = ParseValue(value);
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

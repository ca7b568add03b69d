using System.Text.Json;

namespace McpSharp.Client;

/// <summary>Fills in the <c>default</c> of every requested property an accepted form left out (SEP-1034).</summary>
internal static class ElicitationDefaults
{
    public static Dictionary<string, JsonElement> Apply(JsonElement? requestedSchema, Dictionary<string, JsonElement>? content)
    {
        var result = content is null ? new Dictionary<string, JsonElement>(StringComparer.Ordinal) : new Dictionary<string, JsonElement>(content, StringComparer.Ordinal);
        if (requestedSchema is { ValueKind: JsonValueKind.Object } schema
            && schema.TryGetProperty("properties", out var properties)
            && properties.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in properties.EnumerateObject())
            {
                if (!result.ContainsKey(property.Name)
                    && property.Value.ValueKind == JsonValueKind.Object
                    && property.Value.TryGetProperty("default", out var value))
                {
                    result[property.Name] = value.Clone();
                }
            }
        }

        return result;
    }
}

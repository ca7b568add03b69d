using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace McpSharp.Generators;

/// <summary>
/// Writes JSON Schema 2020-12 for a shape, inline (no <c>$ref</c>). Input schemas list what can be bound and require
/// what C# requires; output schemas list every property written and require all of them (each is always written,
/// as null when nullable).
/// </summary>
internal static class SchemaBuilder
{
    public static void Write(StringBuilder json, TypeShape shape, bool output, string? description = null, string? defaultJson = null, string? header = null)
    {
        json.Append('{');
        var members = new List<string>();
        string? type = shape.Kind switch
        {
            ShapeKind.String or ShapeKind.Guid or ShapeKind.DateTime or ShapeKind.DateTimeOffset or ShapeKind.DateOnly or ShapeKind.Uri or ShapeKind.Enum => "string",
            ShapeKind.Boolean => "boolean",
            ShapeKind.Integer or ShapeKind.UInt64 => "integer",
            ShapeKind.Number or ShapeKind.Decimal => "number",
            ShapeKind.Array => "array",
            ShapeKind.Dictionary or ShapeKind.Object => "object",
            _ => null,
        };
        if (type is not null)
        {
            members.Add("\"type\":" + (shape.Nullable ? $"[\"{type}\",\"null\"]" : $"\"{type}\""));
        }

        if (description is not null)
        {
            members.Add("\"description\":" + Literals.Json(description));
        }

        if (header is not null)
        {
            members.Add("\"x-mcp-header\":" + Literals.Json(header));
        }

        if (shape.Format is not null)
        {
            members.Add("\"format\":\"" + shape.Format + "\"");
        }

        switch (shape.Kind)
        {
            case ShapeKind.Integer:
                if (shape.RangeInSchema)
                {
                    members.Add("\"minimum\":" + shape.Min.ToString(CultureInfo.InvariantCulture));
                    members.Add("\"maximum\":" + shape.Max.ToString(CultureInfo.InvariantCulture));
                }

                break;
            case ShapeKind.UInt64:
                members.Add("\"minimum\":0");
                break;
            case ShapeKind.Enum:
                var values = shape.EnumMembers.Select(m => Literals.Json(m.Json)).ToList();
                if (shape.Nullable)
                {
                    values.Add("null");
                }

                members.Add("\"enum\":[" + string.Join(",", values) + "]");
                break;
            case ShapeKind.Array:
                members.Add("\"items\":" + Nested(shape.Element!, output));
                if (shape.Collection == "set")
                {
                    members.Add("\"uniqueItems\":true");
                }

                break;
            case ShapeKind.Dictionary:
                members.Add("\"additionalProperties\":" + Nested(shape.Element!, output));
                break;
            case ShapeKind.Object:
                var properties = shape.Properties.Where(p => output || p.Parameter is not null || p.Settable).ToList();
                members.Add("\"properties\":{" + string.Join(",", properties.Select(p => Literals.Json(p.Json) + ":" + Nested(p.Shape, output, p.Description))) + "}");
                var required = properties.Where(p => output || p.RequiredOnInput).Select(p => Literals.Json(p.Json)).ToList();
                if (required.Count > 0)
                {
                    members.Add("\"required\":[" + string.Join(",", required) + "]");
                }

                break;
        }

        if (defaultJson is not null)
        {
            members.Add("\"default\":" + defaultJson);
        }

        json.Append(string.Join(",", members)).Append('}');
    }

    private static string Nested(TypeShape shape, bool output, string? description = null)
    {
        var json = new StringBuilder();
        Write(json, shape, output, description);
        return json.ToString();
    }

    /// <summary>The root object schema of a parameter list (a tool's <c>inputSchema</c>).</summary>
    public static string Object(IEnumerable<(string Name, TypeShape Shape, string? Description, string? DefaultJson, bool Required, string? Header)> properties)
    {
        var list = properties.ToList();
        var json = new StringBuilder("{\"type\":\"object\",\"properties\":{");
        for (int i = 0; i < list.Count; i++)
        {
            if (i > 0)
            {
                json.Append(',');
            }

            json.Append(Literals.Json(list[i].Name)).Append(':');
            Write(json, list[i].Shape, output: false, list[i].Description, list[i].DefaultJson, list[i].Header);
        }

        json.Append('}');
        var required = list.Where(p => p.Required).Select(p => Literals.Json(p.Name)).ToList();
        if (required.Count > 0)
        {
            json.Append(",\"required\":[").Append(string.Join(",", required)).Append(']');
        }

        return json.Append('}').ToString();
    }
}

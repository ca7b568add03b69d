using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;

namespace McpSharp.Generators;

/// <summary>
/// Emits the reader (JSON argument to C# value, with validation) and writer (C# value to JSON) of each shape as private
/// static helper methods, deduplicated by key. Generated code only; it calls the small public readers of
/// <c>McpSharp.Authoring.ArgumentReader</c> for leaf values.
/// </summary>
internal sealed class CodeBuilder
{
    private const string Ra = "global::McpSharp.Authoring.ArgumentReader";
    private const string Path = "in global::McpSharp.Authoring.ArgumentPath path";
    private const string Errors = "ref global::McpSharp.Authoring.ArgumentErrors? errors";
    private const string Element = "global::System.Text.Json.JsonElement";
    private const string JsonWriter = "global::System.Text.Json.Utf8JsonWriter";

    private readonly Dictionary<string, string> _helpers = new();

    public IEnumerable<HelperMethod> Helpers => _helpers.Select(h => new HelperMethod(h.Key, h.Value));

    /// <summary>The name of a method <c>bool M(JsonElement e, in ArgumentPath path, ref ArgumentErrors? errors, out T value)</c>.</summary>
    public string Reader(TypeShape shape)
    {
        string name = "__Read_" + Id(shape.Key);
        string key = "R:" + shape.Key;
        if (_helpers.ContainsKey(key))
        {
            return name;
        }

        _helpers[key] = string.Empty; // reserve against recursion
        var code = new StringBuilder();
        if (shape.Kind is not (ShapeKind.Array or ShapeKind.Dictionary or ShapeKind.Object))
        {
            // Leaf readers are one call to ArgumentReader: inlined, they cost what a hand-written check costs.
            code.AppendLine("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]");
        }

        code.AppendLine($"private static bool {name}({Element} e, {Path}, {Errors}, out {shape.VariableType} value)");
        code.AppendLine("{");
        if (shape.Nullable)
        {
            code.AppendLine("    if (e.ValueKind == global::System.Text.Json.JsonValueKind.Null) { value = null; return true; }");
        }

        string t = shape.TypeName;
        switch (shape.Kind)
        {
            case ShapeKind.String:
                code.AppendLine($"    bool ok = {Ra}.ReadString(e, path, ref errors, out var v); value = v; return ok;");
                break;
            case ShapeKind.Boolean:
                code.AppendLine($"    bool ok = {Ra}.ReadBoolean(e, path, ref errors, out var v); value = v; return ok;");
                break;
            case ShapeKind.Integer:
                code.AppendLine($"    bool ok = {Ra}.ReadInteger(e, {shape.Min}L, {shape.Max}L, path, ref errors, out var v); value = ({t})v; return ok;");
                break;
            case ShapeKind.UInt64:
            case ShapeKind.Decimal:
            case ShapeKind.Guid:
            case ShapeKind.DateTime:
            case ShapeKind.DateTimeOffset:
            case ShapeKind.DateOnly:
            case ShapeKind.Uri:
                code.AppendLine($"    bool ok = {Ra}.Read{shape.Kind}(e, path, ref errors, out var v); value = v; return ok;");
                break;
            case ShapeKind.Number:
                code.AppendLine($"    bool ok = {Ra}.{(shape.Type.SpecialType == SpecialType.System_Single ? "ReadSingle" : "ReadDouble")}(e, path, ref errors, out var v); value = v; return ok;");
                break;
            case ShapeKind.Any:
                code.AppendLine($"    {Ra}.ReadAny(e, out var v); value = v; return true;");
                break;
            case ShapeKind.Enum:
                string names = string.Join(", ", shape.EnumMembers.Select(m => Literals.CSharp(m.Json)));
                string values = string.Join(", ", shape.EnumMembers.Select(m => t + "." + Naming.Escape(m.Member)));
                code.AppendLine($"    bool ok = {Ra}.ReadEnum<{t}>(e, {name}_Names, {name}_Values, path, ref errors, out var v); value = v; return ok;");
                code.AppendLine("}");
                code.AppendLine($"private static readonly string[] {name}_Names = new string[] {{ {names} }};");
                code.AppendLine($"private static readonly {t}[] {name}_Values = new {t}[] {{ {values} }};");
                _helpers[key] = code.ToString();
                return name;
            case ShapeKind.Array:
                ReadArray(code, shape);
                break;
            case ShapeKind.Dictionary:
                ReadDictionary(code, shape);
                break;
            case ShapeKind.Object:
                ReadObject(code, shape);
                break;
        }

        code.AppendLine("}");
        _helpers[key] = code.ToString();
        return name;
    }

    private void ReadArray(StringBuilder code, TypeShape shape)
    {
        var element = shape.Element!;
        string read = Reader(element);
        code.AppendLine($"    if (!{Ra}.Expect(e, global::System.Text.Json.JsonValueKind.Array, path, ref errors)) {{ value = default!; return false; }}");
        code.AppendLine($"    var items = new global::System.Collections.Generic.List<{element.VariableType}>(e.GetArrayLength());");
        code.AppendLine("    bool ok = true;");
        code.AppendLine("    int i = 0;");
        code.AppendLine("    foreach (var item in e.EnumerateArray())");
        code.AppendLine("    {");
        if (shape.Collection == "set")
        {
            // uniqueItems: a duplicate is reported, not silently dropped.
            code.AppendLine($"        if ({read}(item, path.Index(i), ref errors, out var v)) {{ if (items.Contains(v)) {{ global::McpSharp.Authoring.ArgumentErrors.Add(ref errors, path.Index(i), \"repeats an earlier item\"); ok = false; }} else {{ items.Add(v); }} }} else {{ ok = false; }}");
        }
        else
        {
            code.AppendLine($"        if ({read}(item, path.Index(i), ref errors, out var v)) {{ items.Add(v); }} else {{ ok = false; }}");
        }
        code.AppendLine("        i++;");
        code.AppendLine("    }");
        string result = shape.Collection switch
        {
            "array" => "items.ToArray()",
            "set" => $"new global::System.Collections.Generic.HashSet<{element.VariableType}>(items)",
            _ => "items",
        };
        code.AppendLine($"    value = {result};");
        code.AppendLine("    return ok;");
    }

    private void ReadDictionary(StringBuilder code, TypeShape shape)
    {
        var element = shape.Element!;
        string read = Reader(element);
        code.AppendLine($"    if (!{Ra}.Expect(e, global::System.Text.Json.JsonValueKind.Object, path, ref errors)) {{ value = default!; return false; }}");
        code.AppendLine($"    var map = new global::System.Collections.Generic.Dictionary<string, {element.VariableType}>(global::System.StringComparer.Ordinal);");
        code.AppendLine("    bool ok = true;");
        code.AppendLine("    foreach (var entry in e.EnumerateObject())");
        code.AppendLine("    {");
        code.AppendLine($"        if ({read}(entry.Value, path.Key(entry.Name), ref errors, out var v)) {{ map[entry.Name] = v; }} else {{ ok = false; }}");
        code.AppendLine("    }");
        code.AppendLine("    value = map;");
        code.AppendLine("    return ok;");
    }

    private void ReadObject(StringBuilder code, TypeShape shape)
    {
        var properties = shape.Properties.Where(p => p.Parameter is not null || p.Settable).ToList();
        code.AppendLine($"    if (!{Ra}.Expect(e, global::System.Text.Json.JsonValueKind.Object, path, ref errors)) {{ value = default!; return false; }}");
        code.AppendLine("    bool ok = true;");
        for (int i = 0; i < properties.Count; i++)
        {
            code.AppendLine($"    {properties[i].Shape.VariableType} p{i} = default!; bool h{i} = false;");
        }

        code.AppendLine("    foreach (var property in e.EnumerateObject())");
        code.AppendLine("    {");
        for (int i = 0; i < properties.Count; i++)
        {
            var p = properties[i];
            code.AppendLine($"        {(i > 0 ? "else " : string.Empty)}if (property.NameEquals({Literals.CSharp(p.Json)})) {{ h{i} = true; ok &= {Reader(p.Shape)}(property.Value, path.Property({Literals.CSharp(p.Json)}), ref errors, out p{i}); }}");
        }

        code.AppendLine("    }");
        for (int i = 0; i < properties.Count; i++)
        {
            if (properties[i].RequiredOnInput)
            {
                code.AppendLine($"    if (!h{i}) {{ global::McpSharp.Authoring.ArgumentErrors.Missing(ref errors, path.Property({Literals.CSharp(properties[i].Json)})); ok = false; }}");
            }
        }

        code.AppendLine("    if (!ok) { value = default!; return false; }");
        var arguments = shape.ConstructorArguments.Select(p =>
        {
            int i = properties.IndexOf(p);
            string fallback = p.Parameter is { HasExplicitDefaultValue: true } parameter ? Defaults.CSharp(parameter) : "default!";
            return $"h{i} ? p{i} : {fallback}";
        });
        string construct = $"new {shape.TypeName}({string.Join(", ", arguments)})";
        var required = properties.Where(p => p.Parameter is null && p.Settable && p.RequiredOnInput).Select(p => $"{Naming.Escape(p.Member)} = p{properties.IndexOf(p)}").ToList();
        string constructDefaults = required.Count > 0 ? construct + " { " + string.Join(", ", required) + " }" : construct;
        var initializers = properties
            .Where(p => p.Parameter is null && p.Settable && (p.RequiredOnInput || (p.InitOnly && !shape.IsRecordLike)))
            .Select(p =>
            {
                int i = properties.IndexOf(p);
                string member = Naming.Escape(p.Member);

                // An init-only property that was not sent keeps its initializer's value, read from a second instance
                // built only in that case.
                return p.RequiredOnInput ? $"{member} = p{i}" : $"{member} = h{i} ? p{i} : (defaults ??= {constructDefaults}).{member}";
            })
            .ToList();
        if (initializers.Any(i => i.Contains("defaults ??=")))
        {
            code.AppendLine($"    {shape.TypeName}? defaults = null;");
        }

        code.AppendLine($"    var o = {construct}{(initializers.Count > 0 ? " { " + string.Join(", ", initializers) + " }" : string.Empty)};");
        foreach (var p in properties.Where(p => p.Parameter is null && p.Settable && !p.RequiredOnInput && !(p.InitOnly && !shape.IsRecordLike)))
        {
            int i = properties.IndexOf(p);
            code.AppendLine(p.InitOnly
                ? $"    if (h{i}) {{ o = o with {{ {Naming.Escape(p.Member)} = p{i} }}; }}"
                : $"    if (h{i}) {{ o.{Naming.Escape(p.Member)} = p{i}; }}");
        }

        code.AppendLine("    value = o;");
        code.AppendLine("    return true;");
    }

    /// <summary>The name of a method <c>void M(Utf8JsonWriter writer, T value)</c>.</summary>
    public string Writer(TypeShape shape)
    {
        string name = "__Write_" + Id(shape.Key);
        string key = "W:" + shape.Key;
        if (_helpers.ContainsKey(key))
        {
            return name;
        }

        _helpers[key] = string.Empty;
        var code = new StringBuilder();
        code.AppendLine($"private static void {name}({JsonWriter} writer, {shape.VariableType} value)");
        code.AppendLine("{");
        string v = "value";
        if (!shape.IsValueType || shape.Nullable)
        {
            code.AppendLine("    if (value is null) { writer.WriteNullValue(); return; }");
            if (shape.IsNullableValueType)
            {
                v = "value.Value";
            }
        }

        switch (shape.Kind)
        {
            case ShapeKind.String:
            case ShapeKind.Guid:
            case ShapeKind.DateTime:
            case ShapeKind.DateTimeOffset:
                code.AppendLine($"    writer.WriteStringValue({v});");
                break;
            case ShapeKind.DateOnly:
                code.AppendLine($"    writer.WriteStringValue({v}.ToString(\"yyyy-MM-dd\", global::System.Globalization.CultureInfo.InvariantCulture));");
                break;
            case ShapeKind.Uri:
                code.AppendLine($"    writer.WriteStringValue({v}.OriginalString);");
                break;
            case ShapeKind.Boolean:
                code.AppendLine($"    writer.WriteBooleanValue({v});");
                break;
            case ShapeKind.Integer:
            case ShapeKind.UInt64:
            case ShapeKind.Number:
            case ShapeKind.Decimal:
                code.AppendLine($"    writer.WriteNumberValue({v});");
                break;
            case ShapeKind.Enum:
                // One arm per value: an alias (Default = Normal) writes the first name declared for that value.
                var arms = shape.EnumMembers
                    .Select((m, i) => (m.Member, m.Json, Value: shape.EnumValues[i]))
                    .GroupBy(m => m.Value)
                    .Select(g => g.First())
                    .Select(m => $"{shape.TypeName}.{Naming.Escape(m.Member)} => {Literals.CSharp(m.Json)}, ");
                code.AppendLine($"    writer.WriteStringValue({v} switch {{ {string.Concat(arms)}_ => {v}.ToString() }});");
                break;
            case ShapeKind.Any:
                code.AppendLine($"    if ({v}.ValueKind == global::System.Text.Json.JsonValueKind.Undefined) {{ writer.WriteNullValue(); }} else {{ {v}.WriteTo(writer); }}");
                break;
            case ShapeKind.Array:
                code.AppendLine("    writer.WriteStartArray();");
                code.AppendLine($"    foreach (var item in {v}) {{ {Writer(shape.Element!)}(writer, item); }}");
                code.AppendLine("    writer.WriteEndArray();");
                break;
            case ShapeKind.Dictionary:
                code.AppendLine("    writer.WriteStartObject();");
                code.AppendLine($"    foreach (var entry in {v}) {{ writer.WritePropertyName(entry.Key); {Writer(shape.Element!)}(writer, entry.Value); }}");
                code.AppendLine("    writer.WriteEndObject();");
                break;
            case ShapeKind.Object:
                code.AppendLine("    writer.WriteStartObject();");
                foreach (var p in shape.Properties)
                {
                    code.AppendLine($"    writer.WritePropertyName({Literals.CSharp(p.Json)}u8); {Writer(p.Shape)}(writer, {v}.{Naming.Escape(p.Member)});");
                }

                code.AppendLine("    writer.WriteEndObject();");
                break;
        }

        code.AppendLine("}");
        _helpers[key] = code.ToString();
        return name;
    }

    private static string Id(string key) => Naming.Identifier(key.Replace("global::", string.Empty));
}

using System;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace McpSharp.Generators;

/// <summary>A parameter's default value, as C# (to bind when the argument is absent) and as JSON (the schema's <c>default</c>).</summary>
internal static class Defaults
{
    public static string CSharp(IParameterSymbol parameter)
    {
        object? value = parameter.ExplicitDefaultValue;
        string type = parameter.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        if (value is null)
        {
            return parameter.Type.IsValueType && parameter.Type.OriginalDefinition.SpecialType != SpecialType.System_Nullable_T ? "default" : "null";
        }

        return $"({type})({SymbolDisplay.FormatPrimitive(value, quoteStrings: true, useHexadecimalNumbers: false)})";
    }

    public static string? Json(IParameterSymbol parameter, TypeShape shape)
    {
        if (!parameter.HasExplicitDefaultValue)
        {
            return null;
        }

        object? value = parameter.ExplicitDefaultValue;
        switch (value)
        {
            case null:
                return shape.Nullable ? "null" : null;
            case string s:
                return Literals.Json(s);
            case bool b:
                return b ? "true" : "false";
        }

        if (shape.Kind == ShapeKind.Enum)
        {
            var member = shape.Type.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(f => f.IsConst && Equals(f.ConstantValue, value));
            var entry = shape.EnumMembers.FirstOrDefault(m => m.Member == member?.Name);
            return entry.Json is null ? null : Literals.Json(entry.Json);
        }

        return value switch
        {
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            float f => f.ToString("R", CultureInfo.InvariantCulture),
            IFormattable n => n.ToString(null, CultureInfo.InvariantCulture),
            _ => null,
        };
    }
}

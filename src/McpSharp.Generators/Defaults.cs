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
        var type = parameter.Type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T ? ((INamedTypeSymbol)parameter.Type).TypeArguments[0] : parameter.Type;
        if (value is null)
        {
            return parameter.Type.IsValueType && parameter.Type.OriginalDefinition.SpecialType != SpecialType.System_Nullable_T ? "default" : "null";
        }

        if (type.TypeKind == TypeKind.Enum)
        {
            return $"({type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)})({SymbolDisplay.FormatPrimitive(value, quoteStrings: false, useHexadecimalNumbers: false)})";
        }

        // Literals with their own suffix, so no value goes through double on the way (decimal precision), and the
        // non-finite values C# has no literal for.
        return value switch
        {
            double d when double.IsNaN(d) => "double.NaN",
            double d when double.IsPositiveInfinity(d) => "double.PositiveInfinity",
            double d when double.IsNegativeInfinity(d) => "double.NegativeInfinity",
            double d => d.ToString("R", CultureInfo.InvariantCulture) + "D",
            float f when float.IsNaN(f) => "float.NaN",
            float f when float.IsPositiveInfinity(f) => "float.PositiveInfinity",
            float f when float.IsNegativeInfinity(f) => "float.NegativeInfinity",
            float f => f.ToString("R", CultureInfo.InvariantCulture) + "F",
            decimal m => m.ToString(CultureInfo.InvariantCulture) + "M",
            long l => l.ToString(CultureInfo.InvariantCulture) + "L",
            ulong u => u.ToString(CultureInfo.InvariantCulture) + "UL",
            uint u => u.ToString(CultureInfo.InvariantCulture) + "U",
            int i => i.ToString(CultureInfo.InvariantCulture),
            string or bool or char => SymbolDisplay.FormatPrimitive(value, quoteStrings: true, useHexadecimalNumbers: false),
            _ => $"({type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)})({SymbolDisplay.FormatPrimitive(value, quoteStrings: true, useHexadecimalNumbers: false)})",
        };
    }

    /// <summary>The schema's <c>default</c>, or null when JSON cannot state it (a non-finite number).</summary>
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
            int index = shape.EnumValues.FindIndex(v => Equals(v, value));
            return index < 0 ? null : Literals.Json(shape.EnumMembers[index].Json);
        }

        return value switch
        {
            double d => double.IsNaN(d) || double.IsInfinity(d) ? null : d.ToString("R", CultureInfo.InvariantCulture),
            float f => float.IsNaN(f) || float.IsInfinity(f) ? null : f.ToString("R", CultureInfo.InvariantCulture),
            IFormattable n => n.ToString(null, CultureInfo.InvariantCulture),
            _ => null,
        };
    }
}

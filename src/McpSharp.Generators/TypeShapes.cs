using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace McpSharp.Generators;

internal enum ShapeKind
{
    Unsupported,
    String,
    Boolean,
    Integer,
    UInt64,
    Number,
    Decimal,
    Guid,
    DateTime,
    DateTimeOffset,
    DateOnly,
    Uri,
    Enum,
    Any,
    Array,
    Dictionary,
    Object,
}

/// <summary>How a C# type travels as JSON: its schema, and which reader and writer the generator emits for it.</summary>
internal sealed class TypeShape
{
    public TypeShape(ShapeKind kind, ITypeSymbol type)
    {
        Kind = kind;
        Type = type;
    }

    public ShapeKind Kind { get; }

    /// <summary>The type without nullability (for <c>int?</c>, <c>int</c>).</summary>
    public ITypeSymbol Type { get; }

    /// <summary>True for <c>Nullable&lt;T&gt;</c> and annotated reference types: JSON null is allowed.</summary>
    public bool Nullable { get; set; }

    /// <summary>True for <c>Nullable&lt;T&gt;</c> (the value is read through <c>.Value</c>).</summary>
    public bool IsNullableValueType { get; set; }

    public string? Error { get; set; }

    /// <summary>Why the shape can be written but not read (no usable constructor), when that is the case.</summary>
    public string? InputError { get; set; }

    /// <summary>The first reason anywhere in this shape why it cannot be read from arguments.</summary>
    public string? FindInputError() =>
        Error ?? InputError ?? Element?.FindInputError() ?? Properties.Where(p => p.Parameter is not null || p.Settable).Select(p => p.Shape.FindInputError()).FirstOrDefault(e => e is not null);

    public long Min { get; set; }

    public long Max { get; set; }

    public bool RangeInSchema { get; set; }

    public string? Format { get; set; }

    /// <summary>Element (arrays) or value (dictionaries).</summary>
    public TypeShape? Element { get; set; }

    /// <summary>How to build the collection: <c>array</c>, <c>list</c>, <c>set</c>, <c>dictionary</c>.</summary>
    public string Collection { get; set; } = string.Empty;

    public List<(string Json, string Member)> EnumMembers { get; } = new();

    /// <summary>The constant value of each of <see cref="EnumMembers"/> (aliases share one).</summary>
    public List<object?> EnumValues { get; } = new();

    public List<PropertyShape> Properties { get; } = new();

    /// <summary>Constructor parameters in order, each naming the property it fills.</summary>
    public List<PropertyShape> ConstructorArguments { get; } = new();

    public bool IsRecordLike { get; set; }

    /// <summary>
    /// The fully qualified C# type name, without the top-level nullable annotation but with those of type arguments
    /// (<c>List&lt;string?&gt;</c> and <c>List&lt;string&gt;</c> are different shapes).
    /// </summary>
    public string TypeName => Type.ToDisplayString(TypeShapes.Format);

    /// <summary>The C# type of a variable holding the value (with <c>?</c> when nullable).</summary>
    public string VariableType => Nullable ? TypeName + "?" : TypeName;

    /// <summary>A key identifying this shape among helper methods.</summary>
    public string Key => (Nullable ? "N:" : string.Empty) + TypeName;

    public bool IsValueType => Type.IsValueType;
}

/// <summary>A property of an object shape.</summary>
internal sealed class PropertyShape
{
    public PropertyShape(string json, string member, TypeShape shape)
    {
        Json = json;
        Member = member;
        Shape = shape;
    }

    public string Json { get; }

    public string Member { get; }

    public TypeShape Shape { get; }

    public string? Description { get; set; }

    /// <summary>Required on input: a <c>required</c> member, or a non-nullable constructor parameter without default.</summary>
    public bool RequiredOnInput { get; set; }

    /// <summary>The constructor parameter filling it, when any.</summary>
    public IParameterSymbol? Parameter { get; set; }

    public bool Settable { get; set; }

    public bool InitOnly { get; set; }
}

/// <summary>Classifies C# types into JSON shapes. Recursive object graphs are refused (they have no finite inline schema).</summary>
internal static class TypeShapes
{
    /// <summary>Fully qualified, keywords escaped, nullable reference annotations kept.</summary>
    public static readonly SymbolDisplayFormat Format = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    public static TypeShape Classify(ITypeSymbol type, Compilation compilation) => Classify(type, compilation, new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default));

    private static TypeShape Classify(ITypeSymbol type, Compilation compilation, HashSet<ITypeSymbol> visiting)
    {
        bool nullable = false;
        bool nullableValue = false;
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nt)
        {
            type = nt.TypeArguments[0];
            nullable = nullableValue = true;
        }
        else if (type.IsReferenceType && type.NullableAnnotation == NullableAnnotation.Annotated)
        {
            nullable = true;
            type = type.WithNullableAnnotation(NullableAnnotation.NotAnnotated);
        }

        var shape = ClassifyCore(type, compilation, visiting);
        shape.Nullable = nullable;
        shape.IsNullableValueType = nullableValue;
        return shape;
    }

    private static TypeShape ClassifyCore(ITypeSymbol type, Compilation compilation, HashSet<ITypeSymbol> visiting)
    {
        switch (type.SpecialType)
        {
            case SpecialType.System_String: return new TypeShape(ShapeKind.String, type);
            case SpecialType.System_Boolean: return new TypeShape(ShapeKind.Boolean, type);
            case SpecialType.System_Byte: return Int(type, byte.MinValue, byte.MaxValue);
            case SpecialType.System_SByte: return Int(type, sbyte.MinValue, sbyte.MaxValue);
            case SpecialType.System_Int16: return Int(type, short.MinValue, short.MaxValue);
            case SpecialType.System_UInt16: return Int(type, ushort.MinValue, ushort.MaxValue);
            case SpecialType.System_Int32: return Int(type, int.MinValue, int.MaxValue, inSchema: false);
            case SpecialType.System_UInt32: return Int(type, uint.MinValue, uint.MaxValue);
            case SpecialType.System_Int64: return Int(type, long.MinValue, long.MaxValue, inSchema: false);
            case SpecialType.System_UInt64: return new TypeShape(ShapeKind.UInt64, type);
            case SpecialType.System_Single:
            case SpecialType.System_Double: return new TypeShape(ShapeKind.Number, type);
            case SpecialType.System_Decimal: return new TypeShape(ShapeKind.Decimal, type);
            case SpecialType.System_DateTime: return new TypeShape(ShapeKind.DateTime, type) { Format = "date-time" };
        }

        string name = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        switch (name)
        {
            case "global::System.Guid": return new TypeShape(ShapeKind.Guid, type) { Format = "uuid" };
            case "global::System.DateTimeOffset": return new TypeShape(ShapeKind.DateTimeOffset, type) { Format = "date-time" };
            case "global::System.DateOnly": return new TypeShape(ShapeKind.DateOnly, type) { Format = "date" };
            case "global::System.Uri": return new TypeShape(ShapeKind.Uri, type) { Format = "uri" };
            case "global::System.Text.Json.JsonElement": return new TypeShape(ShapeKind.Any, type);
        }

        if (type.TypeKind == TypeKind.Enum)
        {
            if (type.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "System.FlagsAttribute"))
            {
                return Unsupported(type, $"'{type.ToDisplayString()}' is a [Flags] enum: combinations have no single name; take an array of the enum instead");
            }

            var shape = new TypeShape(ShapeKind.Enum, type);
            foreach (var field in type.GetMembers().OfType<IFieldSymbol>().Where(f => f.IsConst))
            {
                string json = field.GetAttributes()
                    .FirstOrDefault(a => a.AttributeClass?.Name == "JsonStringEnumMemberNameAttribute")?
                    .ConstructorArguments.FirstOrDefault().Value as string ?? field.Name;
                shape.EnumMembers.Add((json, field.Name));
                shape.EnumValues.Add(field.ConstantValue);
            }

            return shape;
        }

        if (type is IArrayTypeSymbol array)
        {
            return array.Rank == 1 ? Collection(type, "array", array.ElementType, compilation, visiting) : Unsupported(type, "multi-dimensional arrays are not supported");
        }

        if (type is INamedTypeSymbol { IsGenericType: true } generic)
        {
            string definition = generic.ConstructUnboundGenericType().ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
            switch (definition)
            {
                case "global::System.Collections.Generic.List<>":
                case "global::System.Collections.Generic.IList<>":
                case "global::System.Collections.Generic.ICollection<>":
                case "global::System.Collections.Generic.IEnumerable<>":
                case "global::System.Collections.Generic.IReadOnlyList<>":
                case "global::System.Collections.Generic.IReadOnlyCollection<>":
                    return Collection(type, "list", generic.TypeArguments[0], compilation, visiting);
                case "global::System.Collections.Generic.HashSet<>":
                case "global::System.Collections.Generic.ISet<>":
                case "global::System.Collections.Generic.IReadOnlySet<>":
                    return Collection(type, "set", generic.TypeArguments[0], compilation, visiting);
                case "global::System.Collections.Generic.Dictionary<,>":
                case "global::System.Collections.Generic.IDictionary<,>":
                case "global::System.Collections.Generic.IReadOnlyDictionary<,>":
                    if (generic.TypeArguments[0].SpecialType != SpecialType.System_String)
                    {
                        return Unsupported(type, "dictionary keys must be strings (JSON object keys)");
                    }

                    var map = Collection(type, "dictionary", generic.TypeArguments[1], compilation, visiting);
                    return map.Kind == ShapeKind.Array ? new TypeShape(ShapeKind.Dictionary, type) { Element = map.Element, Collection = "dictionary", Error = map.Error } : map;
            }
        }

        if (name.StartsWith("global::System.", System.StringComparison.Ordinal))
        {
            // BCL types (TimeSpan, ImmutableArray, Stream...) have no JSON shape this generator can promise.
            return Unsupported(type, $"'{type.ToDisplayString()}' is not a supported type (use a string, number, boolean, enum, GUID, date, URI, collection or your own record)");
        }

        return Object(type, compilation, visiting);
    }

    // int and long ranges are checked when binding but left out of schemas, where they are noise to a model.
    private static TypeShape Int(ITypeSymbol type, long min, long max, bool inSchema = true) => new(ShapeKind.Integer, type) { Min = min, Max = max, RangeInSchema = inSchema };

    private static TypeShape Unsupported(ITypeSymbol type, string reason) => new(ShapeKind.Unsupported, type) { Error = reason };

    private static TypeShape Collection(ITypeSymbol type, string collection, ITypeSymbol element, Compilation compilation, HashSet<ITypeSymbol> visiting)
    {
        var elementShape = Classify(element, compilation, visiting);
        var shape = new TypeShape(ShapeKind.Array, type) { Element = elementShape, Collection = collection };
        if (elementShape.Error is not null)
        {
            shape.Error = elementShape.Error;
        }

        return shape;
    }

    private static TypeShape Object(ITypeSymbol type, Compilation compilation, HashSet<ITypeSymbol> visiting)
    {
        if (type is not INamedTypeSymbol named || named.TypeKind is not (TypeKind.Class or TypeKind.Struct) || named.IsAbstract || named.IsStatic)
        {
            return Unsupported(type, $"'{type.ToDisplayString()}' is not a concrete class, struct or record");
        }

        if (named.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal))
        {
            return Unsupported(type, $"'{type.ToDisplayString()}' is not public or internal");
        }

        if (!visiting.Add(named))
        {
            return Unsupported(type, $"'{type.ToDisplayString()}' refers to itself; recursive types have no inline schema");
        }

        try
        {
            var shape = new TypeShape(ShapeKind.Object, type) { IsRecordLike = named.IsRecord || named.IsValueType };
            foreach (var property in AllProperties(named))
            {
                if (property.GetAttributes().Any(a => a.AttributeClass?.Name == "JsonIgnoreAttribute"))
                {
                    continue;
                }

                string json = property.GetAttributes().FirstOrDefault(a => a.AttributeClass?.Name == "JsonPropertyNameAttribute")?.ConstructorArguments.FirstOrDefault().Value as string
                    ?? Naming.CamelCase(property.Name);
                var propertyShape = Classify(property.Type, compilation, visiting);
                if (propertyShape.Error is not null)
                {
                    return Unsupported(type, $"property '{property.Name}': {propertyShape.Error}");
                }

                var set = property.SetMethod;
                shape.Properties.Add(new PropertyShape(json, property.Name, propertyShape)
                {
                    Description = Docs.Describe(property),
                    Settable = set is not null && compilation.IsSymbolAccessibleWithin(set, compilation.Assembly),
                    InitOnly = set is { IsInitOnly: true },
                    RequiredOnInput = IsRequiredMember(property),
                });
            }

            if (shape.Properties.Count == 0)
            {
                return Unsupported(type, $"'{type.ToDisplayString()}' has no public properties");
            }

            if (!BindConstructor(named, shape, compilation))
            {
                // Still fine as output; only binding it from arguments needs a constructor.
                shape.InputError = $"'{type.ToDisplayString()}' has no public constructor whose parameters all match properties";
            }
            else if (!shape.Properties.Any(p => p.Parameter is not null || p.Settable))
            {
                shape.InputError = $"'{type.ToDisplayString()}' has no property that can be set from arguments";
            }

            return shape;
        }
        finally
        {
            visiting.Remove(named);
        }
    }

    /// <summary>A C# 11 <c>required</c> member (read from syntax or metadata: the Roslyn 4.3 API predates IsRequired).</summary>
    private static bool IsRequiredMember(IPropertySymbol property) =>
        property.GetAttributes().Any(a => a.AttributeClass?.Name == "RequiredMemberAttribute")
        || property.DeclaringSyntaxReferences.Any(r => r.GetSyntax() is Microsoft.CodeAnalysis.CSharp.Syntax.PropertyDeclarationSyntax p && p.Modifiers.Any(m => m.Text == "required"));

    private static IEnumerable<IPropertySymbol> AllProperties(INamedTypeSymbol type)
    {
        var seen = new HashSet<string>();
        for (var current = type; current is not null && current.SpecialType != SpecialType.System_Object && current.SpecialType != SpecialType.System_ValueType; current = current.BaseType)
        {
            foreach (var property in current.GetMembers().OfType<IPropertySymbol>())
            {
                if (!property.IsStatic && !property.IsIndexer && property.DeclaredAccessibility == Accessibility.Public
                    && property.GetMethod is { DeclaredAccessibility: Accessibility.Public } && property.Name != "EqualityContract" && seen.Add(property.Name))
                {
                    yield return property;
                }
            }
        }
    }

    /// <summary>Picks the constructor: the public one with the most parameters that all match properties.</summary>
    private static bool BindConstructor(INamedTypeSymbol type, TypeShape shape, Compilation compilation)
    {
        var constructors = type.InstanceConstructors
            .Where(c => compilation.IsSymbolAccessibleWithin(c, compilation.Assembly))
            .Where(c => !(c.Parameters.Length == 1 && SymbolEqualityComparer.Default.Equals(c.Parameters[0].Type, type)))
            .OrderByDescending(c => c.Parameters.Length);
        foreach (var constructor in constructors)
        {
            // A parameter matches a property of the same name (any case) whose value converts to the parameter's type.
            var matched = constructor.Parameters
                .Select(p => shape.Properties.FirstOrDefault(prop =>
                    string.Equals(prop.Member, p.Name, System.StringComparison.OrdinalIgnoreCase)
                    && compilation.ClassifyCommonConversion(prop.Shape.IsNullableValueType ? compilation.GetSpecialType(SpecialType.System_Nullable_T).Construct(prop.Shape.Type) : prop.Shape.Type, p.Type) is { IsIdentity: true } or { IsImplicit: true }))
                .ToList();
            if (matched.Any(m => m is null))
            {
                continue;
            }

            for (int i = 0; i < matched.Count; i++)
            {
                var property = matched[i]!;
                var parameter = constructor.Parameters[i];
                property.Parameter = parameter;
                bool parameterNullable = parameter.NullableAnnotation == NullableAnnotation.Annotated || parameter.Type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T;
                property.RequiredOnInput |= !parameter.HasExplicitDefaultValue && !property.Shape.Nullable && !parameterNullable;
                shape.ConstructorArguments.Add(property);
            }

            // Properties neither filled by the constructor nor settable cannot be read from input; they still appear
            // in output schemas, which is where get-only computed properties belong.
            return true;
        }

        return false;
    }
}

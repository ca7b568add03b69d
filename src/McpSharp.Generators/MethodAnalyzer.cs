using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace McpSharp.Generators;

/// <summary>How one parameter of an attributed method gets its value.</summary>
internal enum ParameterSource
{
    /// <summary>From the client: a JSON argument, a URI template variable or a prompt argument.</summary>
    Argument,

    /// <summary>From the request context (cancellation, progress, the context itself, session, server).</summary>
    Context,

    /// <summary>From dependency injection, in the call's scope.</summary>
    Service,
}

internal sealed class ParameterPlan
{
    public ParameterPlan(IParameterSymbol symbol, ParameterSource source, string expression)
    {
        Symbol = symbol;
        Source = source;
        Expression = expression;
    }

    public IParameterSymbol Symbol { get; }

    public ParameterSource Source { get; }

    /// <summary>The C# expression passed for it (for arguments, the local the binding code fills).</summary>
    public string Expression { get; }

    public TypeShape? Shape { get; set; }

    public string? Description { get; set; }

    /// <summary>The name of its <c>[McpHeader]</c>, if it has one.</summary>
    public string? Header => Symbol.GetAttributes().FirstOrDefault(a => a.AttributeClass?.Name == "McpHeaderAttribute")?.ConstructorArguments.FirstOrDefault().Value as string
        ?? (Symbol.GetAttributes().Any(a => a.AttributeClass?.Name == "McpHeaderAttribute") ? string.Empty : null);

    /// <summary>Required from the client: no default value, and not nullable.</summary>
    public bool Required => !Symbol.HasExplicitDefaultValue && Shape is { Nullable: false };
}

/// <summary>
/// What every kind of attributed method shares: accessibility checks, parameter classification, how the declaring
/// type is instantiated, and how the call and its awaiting are written. The per-kind emitters build on it.
/// </summary>
internal sealed partial class MethodAnalyzer
{
    private const string Di = "global::Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions";

    public MethodAnalyzer(IMethodSymbol method, AttributeData attribute, PrimitiveKind kind, Compilation compilation, SyntaxNode node)
    {
        Method = method;
        Attribute = attribute;
        Kind = kind;
        Compilation = compilation;
        Location = node is Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax m ? m.Identifier.GetLocation() : node.GetLocation();
        ReturnLocation = node is Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax declaration ? declaration.ReturnType.GetLocation() : Location;
        Type = method.ContainingType;
        TypeName = Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
    }

    public IMethodSymbol Method { get; }

    public AttributeData Attribute { get; }

    public PrimitiveKind Kind { get; }

    public Compilation Compilation { get; }

    public Location Location { get; }

    /// <summary>Where the return type is written, for diagnostics about it.</summary>
    public Location ReturnLocation { get; }

    public INamedTypeSymbol Type { get; }

    public string TypeName { get; }

    public CodeBuilder Code { get; } = new();

    public List<DiagnosticInfo> Diagnostics { get; } = new();

    public List<ParameterPlan> Parameters { get; } = new();

    public string Display => Type.Name + "." + Method.Name;

    /// <summary>True when calls need a DI scope: an instance method, or a service parameter.</summary>
    public bool NeedsScope => !Method.IsStatic || Parameters.Any(p => p.Source == ParameterSource.Service);

    /// <summary>The handler's trailing services parameter: only handlers that open a DI scope take one.</summary>
    public string ServicesParameter => NeedsScope ? ", global::System.IServiceProvider? services" : string.Empty;

    /// <summary>
    /// What to register: the handler itself (a cached method-group delegate, no closure, no extra frame) unless it
    /// needs the service provider, which a closure then supplies.
    /// </summary>
    public string HandlerReference(string handlerName, string parameters) =>
        NeedsScope ? $"({parameters}) => {handlerName}({parameters}, services)" : handlerName;

    /// <summary>True when registration must be given a service provider.</summary>
    public bool NeedsServices => Parameters.Any(p => p.Source == ParameterSource.Service) || (!Method.IsStatic && !HasParameterlessConstructor);

    private bool HasParameterlessConstructor => Type.InstanceConstructors.Any(c => c.Parameters.Length == 0 && c.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal);

    public void Report(DiagnosticDescriptor descriptor, Location? location, params string[] args) =>
        Diagnostics.Add(DiagnosticInfo.Create(descriptor, location ?? Location, args));

    public string? NamedString(string name) =>
        Attribute.NamedArguments.FirstOrDefault(a => a.Key == name).Value.Value as string;

    public bool? NamedBool(string name) =>
        Attribute.NamedArguments.Any(a => a.Key == name) ? (bool?)Attribute.NamedArguments.First(a => a.Key == name).Value.Value : null;

    public string? ConstructorString => Attribute.ConstructorArguments.Length > 0 ? Attribute.ConstructorArguments[0].Value as string : null;

    /// <summary>Checks the method's shape; false when nothing can be generated for it.</summary>
    public bool CheckShape()
    {
        bool accessible = Method.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal;
        for (var t = Type; t is not null; t = t.ContainingType)
        {
            accessible &= t.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal && !t.IsGenericType;
        }

        if (!accessible)
        {
            Report(Generators.Diagnostics.Inaccessible, null, Display);
            return false;
        }

        if (Method.IsGenericMethod)
        {
            Report(Generators.Diagnostics.UnsupportedMethod, null, Display, "generic methods are not supported");
            return false;
        }

        if (!Method.IsStatic && (Type.IsAbstract || Type.TypeKind is not (TypeKind.Class or TypeKind.Struct)))
        {
            Report(Generators.Diagnostics.UnsupportedMethod, null, Display, "instance methods need a concrete class to create per call");
            return false;
        }

        foreach (var parameter in Method.Parameters)
        {
            if (parameter.RefKind is RefKind.Ref or RefKind.Out)
            {
                Report(Generators.Diagnostics.UnsupportedMethod, parameter.Locations.FirstOrDefault(), Display, $"parameter '{parameter.Name}' is ref or out");
                return false;
            }
        }

        return true;
    }

    /// <summary>Sorts parameters into context values, services and client arguments.</summary>
    public void PlanParameters(string paramsType)
    {
        foreach (var parameter in Method.Parameters)
        {
            var type = parameter.Type;
            string name = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).TrimEnd('?');
            string? context = name switch
            {
                "global::System.Threading.CancellationToken" => "context.CancellationToken",
                "global::System.IProgress<global::McpSharp.Protocol.ProgressNotificationValue>" => "context.Progress",
                "global::McpSharp.Server.McpRequestContext" => "context",
                "global::McpSharp.Server.McpSession" => "context.Session",
                "global::McpSharp.Server.McpServer" => "context.Server",
                "global::System.IServiceProvider" => "__services",
                _ when name == $"global::McpSharp.Server.McpRequestContext<{paramsType}>" => "context",
                _ => null,
            };
            if (context is not null)
            {
                Parameters.Add(new ParameterPlan(parameter, context == "__services" ? ParameterSource.Service : ParameterSource.Context, context));
                continue;
            }

            var keyed = parameter.GetAttributes().FirstOrDefault(a => a.AttributeClass?.Name == "FromKeyedServicesAttribute");
            bool service = keyed is not null
                || parameter.GetAttributes().Any(a => a.AttributeClass?.Name == "FromServicesAttribute")
                || (type.TypeKind == TypeKind.Interface && !name.StartsWith("global::System.Collections.Generic.", System.StringComparison.Ordinal));
            if (service)
            {
                bool optional = parameter.HasExplicitDefaultValue || type.NullableAnnotation == NullableAnnotation.Annotated;
                string serviceType = type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
                string expression = keyed is not null
                    ? $"global::Microsoft.Extensions.DependencyInjection.ServiceProviderKeyedServiceExtensions.{(optional ? "GetKeyedService" : "GetRequiredKeyedService")}<{serviceType}>(__services!, {SymbolDisplayLiteral(keyed.ConstructorArguments.FirstOrDefault().Value)})"
                    : $"{Di}.{(optional ? "GetService" : "GetRequiredService")}<{serviceType}>(__services!)";
                Parameters.Add(new ParameterPlan(parameter, ParameterSource.Service, expression));
                continue;
            }

            Parameters.Add(new ParameterPlan(parameter, ParameterSource.Argument, "__a" + Parameters.Count)
            {
                Shape = TypeShapes.Classify(type, Compilation),
                Description = Docs.DescribeParameter(parameter),
            });
        }
    }

    private static string SymbolDisplayLiteral(object? value) =>
        value is null ? "null" : Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatPrimitive(value, quoteStrings: true, useHexadecimalNumbers: false);

    /// <summary>The method's result type after unwrapping <c>Task&lt;T&gt;</c>/<c>ValueTask&lt;T&gt;</c>; null for none.</summary>
    public ITypeSymbol? ResultType(out bool awaited, out bool asyncStream)
    {
        awaited = false;
        asyncStream = false;
        var type = Method.ReturnType;
        if (Method.ReturnsVoid)
        {
            return null;
        }

        string name = type.OriginalDefinition.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        switch (name)
        {
            case "global::System.Threading.Tasks.Task":
            case "global::System.Threading.Tasks.ValueTask":
                awaited = true;
                return null;
            case "global::System.Threading.Tasks.Task<TResult>":
            case "global::System.Threading.Tasks.ValueTask<TResult>":
                awaited = true;
                return ((INamedTypeSymbol)type).TypeArguments[0];
            case "global::System.Collections.Generic.IAsyncEnumerable<T>":
                awaited = true;
                asyncStream = true;
                var item = ((INamedTypeSymbol)type).TypeArguments[0];
                return Compilation.GetTypeByMetadataName("System.Collections.Generic.List`1")!.Construct(item);
        }

        return type;
    }

    /// <summary>True when <paramref name="type"/> is or derives from the named McpSharp type.</summary>
    public static bool DerivesFrom(ITypeSymbol? type, string fullName)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (t.ToDisplayString() == fullName)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>For <c>IEnumerable&lt;X&gt;</c>-like types, X.</summary>
    public static ITypeSymbol? EnumerableElement(ITypeSymbol type)
    {
        if (type is IArrayTypeSymbol array)
        {
            return array.ElementType;
        }

        var enumerable = type.AllInterfaces.Concat(type is INamedTypeSymbol n ? new[] { n } : System.Array.Empty<INamedTypeSymbol>())
            .FirstOrDefault(i => i.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T);
        return enumerable?.TypeArguments[0];
    }

    public ImmutableArray<HelperMethod> Helpers() => Code.Helpers.ToImmutableArray();

    public AnalyzedMethod Result(string name, string registration, string handler, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new AnalyzedMethod(
            Kind,
            TypeName,
            Type.ToDisplayString(),
            name,
            registration,
            handler,
            new EquatableArray<HelperMethod>(Helpers()),
            Factory(),
            NeedsServices,
            DiagnosticInfo.Create(Generators.Diagnostics.DuplicateName, Location),
            new EquatableArray<DiagnosticInfo>(Diagnostics.ToImmutableArray()));
    }

    public AnalyzedMethod Failed(string name) =>
        new(Kind, TypeName, Type.ToDisplayString(), name, string.Empty, string.Empty, default, null, false,
            DiagnosticInfo.Create(Generators.Diagnostics.DuplicateName, Location), new EquatableArray<DiagnosticInfo>(Diagnostics.ToImmutableArray()));
}

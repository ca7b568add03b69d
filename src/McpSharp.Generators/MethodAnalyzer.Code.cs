using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;

namespace McpSharp.Generators;

/// <summary>The C# a method analyzer writes: the handler body, the factory of the declaring type, the icons.</summary>
internal sealed partial class MethodAnalyzer
{
    /// <summary>
    /// The body of a handler: bindings first (written by the caller into <paramref name="bindings"/>), then the scope,
    /// the target instance, the call and the mapping of <c>__r</c> into the result expression.
    /// </summary>
    public string Handler(string signature, string resultType, string bindings, string? errorReturn, System.Func<string, string> map, ITypeSymbol? resultSymbol, bool awaited, bool asyncStream, string? afterValidation = null)
    {
        bool async = awaited || NeedsScope || afterValidation is not null;
        var code = new StringBuilder();
        code.AppendLine($"private static {(async ? "async " : string.Empty)}global::System.Threading.Tasks.ValueTask<{resultType}> {signature}");
        code.AppendLine("{");
        code.Append(bindings);
        if (errorReturn is not null)
        {
            code.AppendLine($"    if (__errors is not null) {{ return {(async ? errorReturn : $"new global::System.Threading.Tasks.ValueTask<{resultType}>({errorReturn})")}; }}");
        }

        if (afterValidation is not null)
        {
            code.AppendLine("    " + afterValidation);
        }

        string indent = "    ";
        if (NeedsScope)
        {
            code.AppendLine("    global::Microsoft.Extensions.DependencyInjection.AsyncServiceScope? __scope = services is null ? null : " + Di + ".CreateAsyncScope(services);");
            code.AppendLine("    try");
            code.AppendLine("    {");
            indent = "        ";
            code.AppendLine(indent + "global::System.IServiceProvider? __services = __scope?.ServiceProvider;");
        }

        string target = TypeName;
        bool disposeTarget = false;
        if (!Method.IsStatic)
        {
            code.AppendLine(indent + $"var __target = __Create(__services, out bool __owned);");
            target = "__target";
            disposeTarget = Type.AllInterfaces.Any(i => i.Name is "IDisposable" or "IAsyncDisposable");
            if (disposeTarget)
            {
                code.AppendLine(indent + "try");
                code.AppendLine(indent + "{");
                indent += "    ";
            }
        }

        string call = $"{target}.{Naming.Escape(Method.Name)}({string.Join(", ", Parameters.Select(p => p.Expression))})";
        if (resultSymbol is null)
        {
            code.AppendLine(indent + (awaited ? $"await {call}.ConfigureAwait(false);" : call + ";"));
        }
        else if (asyncStream)
        {
            code.AppendLine(indent + $"var __r = await global::McpSharp.Authoring.ToolResults.CollectAsync({call}, context.CancellationToken).ConfigureAwait(false);");
        }
        else
        {
            code.AppendLine(indent + $"var __r = {(awaited ? "await " : string.Empty)}{call}{(awaited ? ".ConfigureAwait(false)" : string.Empty)};");
        }

        string result = map("__r");
        code.AppendLine(indent + (async ? $"return {result};" : $"return new global::System.Threading.Tasks.ValueTask<{resultType}>({result});"));
        if (disposeTarget)
        {
            indent = indent.Substring(4);
            code.AppendLine(indent + "}");
            code.AppendLine(indent + "finally");
            code.AppendLine(indent + "{");
            code.AppendLine(indent + (Type.AllInterfaces.Any(i => i.Name == "IAsyncDisposable")
                ? "    if (__owned) { await ((global::System.IAsyncDisposable)__target).DisposeAsync().ConfigureAwait(false); }"
                : "    if (__owned) { ((global::System.IDisposable)__target).Dispose(); }"));
            code.AppendLine(indent + "}");
        }

        if (NeedsScope)
        {
            code.AppendLine("    }");
            code.AppendLine("    finally");
            code.AppendLine("    {");
            code.AppendLine("        if (__scope is { } scope) { await scope.DisposeAsync().ConfigureAwait(false); }");
            code.AppendLine("    }");
        }

        code.AppendLine("}");
        return code.ToString();
    }

    /// <summary>
    /// Creates the declaring type for an instance method: the instance registered in DI when there is one, otherwise
    /// its public constructor with the most parameters, each resolved from the call's scope.
    /// </summary>
    public string? Factory()
    {
        if (Method.IsStatic)
        {
            return null;
        }

        var constructors = Type.InstanceConstructors
            .Where(c => Compilation.IsSymbolAccessibleWithin(c, Compilation.Assembly))
            .OrderByDescending(c => c.Parameters.Length)
            .ToList();
        var constructor = constructors.FirstOrDefault();
        var arguments = constructor?.Parameters.Select(p =>
        {
            bool optional = p.HasExplicitDefaultValue || p.NullableAnnotation == NullableAnnotation.Annotated;
            string type = p.Type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
            return optional
                ? $"services!.GetService(typeof({type})) is {type} p_{p.Ordinal} ? p_{p.Ordinal} : {(p.HasExplicitDefaultValue ? Defaults.CSharp(p) : "null")}"
                : $"{Di}.GetRequiredService<{type}>(services!)";
        }) ?? Enumerable.Empty<string>();
        var code = new StringBuilder();
        code.AppendLine($"private static {TypeName} __Create(global::System.IServiceProvider? services, out bool owned)");
        code.AppendLine("{");
        code.AppendLine("    owned = true;");
        if (constructors.Any(c => c.Parameters.Length == 0))
        {
            // Registered without a container: the parameterless constructor is the one that needs nothing.
            code.AppendLine($"    if (services is null) {{ return new {TypeName}(); }}");
        }

        code.AppendLine($"    if (services is not null && services.GetService(typeof({TypeName})) is {TypeName} registered) {{ owned = false; return registered; }}");
        code.AppendLine($"    return new {TypeName}({string.Join(", ", arguments)});");
        code.AppendLine("}");
        return code.ToString();
    }

    public static string Icons(IMethodSymbol method)
    {
        var icons = method.GetAttributes().Where(a => a.AttributeClass?.ToDisplayString() == "McpSharp.Authoring.McpIconAttribute").ToList();
        if (icons.Count == 0)
        {
            return "null";
        }

        var items = icons.Select(icon =>
        {
            string? Named(string name) => icon.NamedArguments.FirstOrDefault(a => a.Key == name).Value.Value as string;
            var parts = new List<string> { "Src = " + Literals.CSharp(icon.ConstructorArguments[0].Value as string ?? string.Empty) };
            if (Named("MimeType") is { } mime)
            {
                parts.Add("MimeType = " + Literals.CSharp(mime));
            }

            if (Named("Sizes") is { } sizes)
            {
                parts.Add("Sizes = new string[] { " + string.Join(", ", sizes.Split(new[] { ' ' }, System.StringSplitOptions.RemoveEmptyEntries).Select(Literals.CSharp)) + " }");
            }

            if (Named("Theme") is { } theme)
            {
                parts.Add("Theme = " + Literals.CSharp(theme));
            }

            return "new global::McpSharp.Protocol.Icon { " + string.Join(", ", parts) + " }";
        });
        return "new global::McpSharp.Protocol.Icon[] { " + string.Join(", ", items) + " }";
    }
}

using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace McpSharp.Generators;

/// <summary>Analyses a <c>[McpResource]</c> method: a fixed resource, or a template whose variables are its parameters.</summary>
internal static class ResourceEmitter
{
    private const string Params = "global::McpSharp.Protocol.ResourceRequestParams";
    private const string Results = "global::McpSharp.Authoring.ResourceResults";
    private static readonly Regex Expression = new(@"\{([^}]*)\}");

    public static AnalyzedMethod Analyze(MethodAnalyzer m, CancellationToken cancellationToken)
    {
        string uri = m.ConstructorString ?? string.Empty;
        string name = m.NamedString("Name") ?? Naming.SnakeCase(m.Method.Name);
        if (uri.Length == 0)
        {
            m.Report(Diagnostics.TemplateMismatch, null, name, "the URI is empty");
            return m.Failed(uri);
        }

        if (!m.CheckShape())
        {
            return m.Failed(uri);
        }

        m.PlanParameters(Params);
        var variables = Variables(uri);
        bool template = variables.Count > 0 || uri.Contains("{");
        var arguments = m.Parameters.Where(p => p.Source == ParameterSource.Argument).ToList();
        bool ok = HeaderRules.Check(m, isTool: false);
        foreach (var p in arguments)
        {
            if (!variables.Any(v => string.Equals(v, p.Symbol.Name, System.StringComparison.OrdinalIgnoreCase)))
            {
                m.Report(Diagnostics.TemplateMismatch, p.Symbol.Locations.FirstOrDefault(), uri, $"parameter '{p.Symbol.Name}' is not a variable of the URI template");
                ok = false;
            }
            else if (!TextBinding.Supports(p.Shape!))
            {
                m.Report(Diagnostics.UnsupportedParameter, p.Symbol.Locations.FirstOrDefault(), p.Symbol.Name, m.Display, TextBinding.Unsupported);
                ok = false;
            }
        }

        foreach (var variable in variables.Where(v => !arguments.Any(p => string.Equals(v, p.Symbol.Name, System.StringComparison.OrdinalIgnoreCase))))
        {
            m.Report(Diagnostics.TemplateMismatch, null, uri, $"variable '{variable}' has no parameter of that name");
            ok = false;
        }

        var resultType = m.ResultType(out bool awaited, out bool asyncStream);
        string mime = Literals.CSharp(m.NamedString("MimeType"));
        var map = Map(m, resultType, mime);
        if (map is null || !ok)
        {
            return m.Failed(uri);
        }

        var bindings = new StringBuilder();
        foreach (var p in arguments)
        {
            string variable = variables.First(v => string.Equals(v, p.Symbol.Name, System.StringComparison.OrdinalIgnoreCase));
            // An optional template part ({?page}, or a later variable of a list) may be absent: a defaulted or
            // nullable parameter takes its default; any other parameter has nothing to bind, so there is no such resource.
            string missing = p.Symbol.HasExplicitDefaultValue
                ? $"{p.Expression} = {Defaults.CSharp(p.Symbol)};"
                : p.Shape!.Nullable
                    ? $"{p.Expression} = default;"
                    : $"throw global::McpSharp.Authoring.TextArgument.ResourceNotFound(context.Params.Uri, {Literals.CSharp(variable)}, \"present\");";
            TextBinding.Write(
                bindings,
                m.Code,
                p.Expression,
                p.Shape!,
                $"variables.TryGetValue({Literals.CSharp(variable)}, out var {p.Expression}_raw) ? {p.Expression}_raw : null",
                missing,
                $"global::McpSharp.Authoring.TextArgument.ResourceNotFound(context.Params.Uri, {Literals.CSharp(variable)}, {Literals.CSharp(TextBinding.Expected(p.Shape!))})");
        }

        string handlerName = "__Resource_" + Naming.Identifier(uri);
        string variablesParameter = template ? ", global::System.Collections.Generic.IReadOnlyDictionary<string, string> variables" : string.Empty;
        string handler = m.Handler(
            $"{handlerName}(global::McpSharp.Server.McpRequestContext<{Params}> context{variablesParameter}{m.ServicesParameter})",
            "global::McpSharp.Protocol.ReadResourceResult",
            bindings.ToString(),
            null,
            map,
            resultType,
            awaited,
            asyncStream);

        string common = $"Name = {Literals.CSharp(name)}, Title = {Literals.CSharp(m.NamedString("Title"))}, Description = {Literals.CSharp(Docs.Describe(m.Method))}, MimeType = {mime}, Icons = {MethodAnalyzer.Icons(m.Method)}";
        string registration = template
            ? $"server.ResourceTemplates.Add(new global::McpSharp.Protocol.ResourceTemplate {{ UriTemplate = {Literals.CSharp(uri)}, {common} }}, {m.HandlerReference(handlerName, "context, variables")});"
            : $"server.Resources.Add(new global::McpSharp.Protocol.Resource {{ Uri = {Literals.CSharp(uri)}, {common} }}, {m.HandlerReference(handlerName, "context")});";
        return m.Result(uri, registration, handler, cancellationToken);
    }

    /// <summary>The variable names of an RFC 6570 template (operators, explode and prefix modifiers stripped).</summary>
    private static List<string> Variables(string template) =>
        Expression.Matches(template).Cast<Match>()
            .SelectMany(match => match.Groups[1].Value.TrimStart('+', '#', '.', '/', ';', '?', '&').Split(','))
            .Select(v => v.Trim().TrimEnd('*'))
            .Select(v => v.IndexOf(':') is int colon and >= 0 ? v.Substring(0, colon) : v)
            .Where(v => v.Length > 0)
            .Distinct()
            .ToList();

    private static System.Func<string, string>? Map(MethodAnalyzer m, ITypeSymbol? type, string mime)
    {
        if (type is null)
        {
            m.Report(Diagnostics.UnsupportedReturn, m.ReturnLocation, m.Display, "a resource must return its contents");
            return null;
        }

        if (type.SpecialType == SpecialType.System_String)
        {
            return r => $"{Results}.Text(context.Params.Uri, {mime}, {r})";
        }

        if (type is IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Byte })
        {
            return r => $"{Results}.Bytes(context.Params.Uri, {mime}, {r})";
        }

        if (MethodAnalyzer.DerivesFrom(type, "McpSharp.Protocol.ReadResourceResult"))
        {
            return r => $"{Results}.Result({r})";
        }

        if (MethodAnalyzer.DerivesFrom(type, "McpSharp.Protocol.ResourceContents"))
        {
            return r => $"{Results}.Contents((global::McpSharp.Protocol.ResourceContents?){r})";
        }

        if (MethodAnalyzer.EnumerableElement(type) is { } element && MethodAnalyzer.DerivesFrom(element, "McpSharp.Protocol.ResourceContents"))
        {
            return r => $"{Results}.Contents({r})";
        }

        var shape = TypeShapes.Classify(type, m.Compilation);
        if (shape.Error is not null)
        {
            m.Report(Diagnostics.UnsupportedReturn, m.ReturnLocation, m.Display, shape.Error);
            return null;
        }

        string writer = m.Code.Writer(shape);
        return r => $"{Results}.Json(context.Params.Uri, {mime}, {r}, {writer})";
    }
}

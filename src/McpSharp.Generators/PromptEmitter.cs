using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace McpSharp.Generators;

/// <summary>Analyses a <c>[McpPrompt]</c> method: its arguments and how its return value becomes messages.</summary>
internal static class PromptEmitter
{
    private const string Params = "global::McpSharp.Protocol.GetPromptRequestParams";
    private const string Results = "global::McpSharp.Authoring.PromptResults";

    public static AnalyzedMethod Analyze(MethodAnalyzer m, CancellationToken cancellationToken)
    {
        string name = m.ConstructorString ?? Naming.SnakeCase(m.Method.Name);
        if (!m.CheckShape())
        {
            return m.Failed(name);
        }

        m.PlanParameters(Params);
        var arguments = m.Parameters.Where(p => p.Source == ParameterSource.Argument).ToList();
        bool ok = HeaderRules.Check(m, isTool: false);
        foreach (var p in arguments.Where(p => !TextBinding.Supports(p.Shape!)))
        {
            m.Report(Diagnostics.UnsupportedParameter, p.Symbol.Locations.FirstOrDefault(), p.Symbol.Name, m.Display, TextBinding.Unsupported);
            ok = false;
        }

        string? description = Docs.Describe(m.Method);
        string descriptionLiteral = Literals.CSharp(description);
        var resultType = m.ResultType(out bool awaited, out bool asyncStream);
        var map = Map(m, resultType, descriptionLiteral);
        if (map is null || !ok)
        {
            return m.Failed(name);
        }

        var bindings = new StringBuilder();
        if (arguments.Count > 0)
        {
            bindings.AppendLine("    var __args = context.Params.Arguments;");
        }

        foreach (var p in arguments)
        {
            // Required arguments are checked by the server before the handler runs (PROMPT-ARGS-REQUIRED).
            string missing = p.Symbol.HasExplicitDefaultValue ? $"{p.Expression} = {Defaults.CSharp(p.Symbol)};" : $"{p.Expression} = default!;";
            TextBinding.Write(
                bindings,
                m.Code,
                p.Expression,
                p.Shape!,
                $"__args is not null && __args.TryGetValue({Literals.CSharp(p.Symbol.Name)}, out var {p.Expression}_raw) ? {p.Expression}_raw : null",
                missing,
                $"global::McpSharp.Authoring.TextArgument.InvalidPromptArgument({Literals.CSharp(name)}, {Literals.CSharp(p.Symbol.Name)}, {Literals.CSharp(TextBinding.Expected(p.Shape!))})");
        }

        string handlerName = "__Prompt_" + Naming.Identifier(name);
        string handler = m.Handler(
            $"{handlerName}(global::McpSharp.Server.McpRequestContext<{Params}> context{m.ServicesParameter})",
            "global::McpSharp.Protocol.GetPromptResult",
            bindings.ToString(),
            null,
            map,
            resultType,
            awaited,
            asyncStream);

        string argumentList = arguments.Count == 0
            ? "null"
            : "new global::McpSharp.Protocol.PromptArgument[] { " + string.Join(", ", arguments.Select(p =>
                $"new global::McpSharp.Protocol.PromptArgument {{ Name = {Literals.CSharp(p.Symbol.Name)}, Description = {Literals.CSharp(p.Description)}, Required = {(p.Required ? "true" : "false")} }}")) + " }";
        string registration =
            $"server.Prompts.Add(new global::McpSharp.Protocol.Prompt {{ Name = {Literals.CSharp(name)}, Title = {Literals.CSharp(m.NamedString("Title"))}, Description = {descriptionLiteral}, Icons = {MethodAnalyzer.Icons(m.Method)}, Arguments = {argumentList} }}, {m.HandlerReference(handlerName, "context")});";
        return m.Result(name, registration, handler, cancellationToken);
    }

    private static System.Func<string, string>? Map(MethodAnalyzer m, ITypeSymbol? type, string description)
    {
        if (type is not null)
        {
            if (type.SpecialType == SpecialType.System_String)
            {
                return r => $"{Results}.Text({description}, {r})";
            }

            if (MethodAnalyzer.DerivesFrom(type, "McpSharp.Protocol.GetPromptResult"))
            {
                return r => $"{Results}.Result({description}, {r})";
            }

            if (MethodAnalyzer.DerivesFrom(type, "McpSharp.Protocol.PromptMessage"))
            {
                return r => $"{Results}.Message({description}, {r})";
            }

            if (MethodAnalyzer.DerivesFrom(type, "McpSharp.Protocol.ContentBlock"))
            {
                return r => $"{Results}.Content({description}, {r})";
            }

            if (MethodAnalyzer.EnumerableElement(type) is { } element && MethodAnalyzer.DerivesFrom(element, "McpSharp.Protocol.PromptMessage"))
            {
                return r => $"{Results}.Messages({description}, {r})";
            }
        }

        m.Report(Diagnostics.UnsupportedReturn, m.ReturnLocation, m.Display, "a prompt returns a string, a PromptMessage, messages, a content block or a GetPromptResult");
        return null;
    }
}

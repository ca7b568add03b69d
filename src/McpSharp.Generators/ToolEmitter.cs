using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace McpSharp.Generators;

/// <summary>Analyses a <c>[McpTool]</c> method: its definition (name, schemas, annotations), binding and result mapping.</summary>
internal static class ToolEmitter
{
    private const string Params = "global::McpSharp.Protocol.CallToolRequestParams";
    private const string Results = "global::McpSharp.Authoring.ToolResults";

    public static AnalyzedMethod Analyze(MethodAnalyzer m, CancellationToken cancellationToken)
    {
        string name = m.ConstructorString ?? Naming.SnakeCase(m.Method.Name);
        if (!Naming.IsValidToolName(name))
        {
            m.Report(Diagnostics.InvalidName, null, name);
            return m.Failed(name);
        }

        if (!m.CheckShape())
        {
            return m.Failed(name);
        }

        m.PlanParameters(Params);
        bool ok = HeaderRules.Check(m, isTool: true);
        foreach (var p in m.Parameters.Where(p => p.Shape is not null))
        {
            if (p.Shape!.FindInputError() is { } error)
            {
                m.Report(Diagnostics.UnsupportedParameter, p.Symbol.Locations.FirstOrDefault(), p.Symbol.Name, m.Display, error);
                ok = false;
            }
        }

        var resultType = m.ResultType(out bool awaited, out bool asyncStream);
        string? outputSchema = null;
        System.Func<string, string>? map = Map(m, resultType, name, ref outputSchema);
        if (map is null || !ok)
        {
            return m.Failed(name);
        }

        // Bindings: each argument read and validated; every problem collected before the method runs (SEP-1303).
        var bindings = new StringBuilder();
        var arguments = m.Parameters.Where(p => p.Source == ParameterSource.Argument).ToList();
        if (arguments.Count > 0)
        {
            bindings.AppendLine("    var __args = context.Params.Arguments;");
        }

        bindings.AppendLine("    global::McpSharp.Authoring.ArgumentErrors? __errors = null;");
        foreach (var p in arguments)
        {
            string json = Literals.CSharp(p.Symbol.Name);
            string local = p.Expression;
            bindings.AppendLine($"    {p.Shape!.VariableType} {local};");
            bindings.AppendLine($"    if (__args is not null && __args.TryGetValue({json}, out var {local}_json))");
            bindings.AppendLine($"    {{ {m.Code.Reader(p.Shape)}({local}_json, global::McpSharp.Authoring.ArgumentPath.Root({json}), ref __errors, out {local}); }}");
            string missing = p.Symbol.HasExplicitDefaultValue
                ? $"{local} = {Defaults.CSharp(p.Symbol)};"
                : p.Shape.Nullable
                    ? $"{local} = default;"
                    : $"{local} = default!; global::McpSharp.Authoring.ArgumentErrors.Missing(ref __errors, global::McpSharp.Authoring.ArgumentPath.Root({json}));";
            bindings.AppendLine($"    else {{ {missing} }}");
        }

        string handlerName = "__Tool_" + Naming.Identifier(name);
        string handler = m.Handler(
            $"{handlerName}(global::McpSharp.Server.McpRequestContext<{Params}> context{m.ServicesParameter})",
            "global::McpSharp.Protocol.CallToolResult",
            bindings.ToString(),
            $"__errors.ToToolResult({Literals.CSharp(name)})",
            map,
            resultType,
            awaited,
            asyncStream,
            TaskSupport(m) is null ? null : "await context.StartTaskAsync().ConfigureAwait(false);");

        string inputSchema = SchemaBuilder.Object(arguments.Select(p => (p.Symbol.Name, p.Shape!, p.Description, Defaults.Json(p.Symbol, p.Shape!), p.Required, p.Header)));
        var definition = new StringBuilder();
        definition.AppendLine("new global::McpSharp.Protocol.Tool");
        definition.AppendLine("            {");
        definition.AppendLine($"                Name = {Literals.CSharp(name)},");
        definition.AppendLine($"                Title = {Literals.CSharp(m.NamedString("Title"))},");
        definition.AppendLine($"                Description = {Literals.CSharp(Docs.Describe(m.Method))},");
        definition.AppendLine($"                Icons = {MethodAnalyzer.Icons(m.Method)},");
        definition.AppendLine($"                InputSchema = Schema({Literals.CSharp(inputSchema)}),");
        definition.AppendLine($"                OutputSchema = {(outputSchema is null ? "null" : $"Schema({Literals.CSharp(outputSchema)})")},");
        definition.AppendLine($"                Annotations = {Annotations(m)},");
        if (TaskSupport(m) is { } support)
        {
            definition.AppendLine($"                Execution = new global::McpSharp.Protocol.ToolExecution {{ TaskSupport = {Literals.CSharp(support)} }},");
        }

        definition.Append("            }");
        string registration = $"server.Tools.Add({definition}, {m.HandlerReference(handlerName, "context")});";
        return m.Result(name, registration, handler, cancellationToken);
    }

    // McpTaskSupport.Optional (1) and Required (2) as the wire's execution.taskSupport; None (0) declares nothing.
    private static string? TaskSupport(MethodAnalyzer m) =>
        m.Attribute.NamedArguments.FirstOrDefault(a => a.Key == "TaskSupport").Value.Value switch
        {
            1 => "optional",
            2 => "required",
            _ => null,
        };

    private static string Annotations(MethodAnalyzer m)
    {
        var hints = new[] { ("ReadOnly", "ReadOnlyHint"), ("Destructive", "DestructiveHint"), ("Idempotent", "IdempotentHint"), ("OpenWorld", "OpenWorldHint") }
            .Select(h => (Hint: h.Item2, Value: m.NamedBool(h.Item1)))
            .Where(h => h.Value is not null)
            .Select(h => $"{h.Hint} = {(h.Value!.Value ? "true" : "false")}")
            .ToList();
        return hints.Count == 0 ? "null" : "new global::McpSharp.Protocol.ToolAnnotations { " + string.Join(", ", hints) + " }";
    }

    /// <summary>How the returned value becomes a result; null (with a diagnostic) when it cannot.</summary>
    private static System.Func<string, string>? Map(MethodAnalyzer m, ITypeSymbol? type, string name, ref string? outputSchema)
    {
        if (type is null)
        {
            return _ => $"{Results}.Empty()";
        }

        if (type.SpecialType == SpecialType.System_String)
        {
            return r => $"{Results}.Text({r})";
        }

        if (MethodAnalyzer.DerivesFrom(type, "McpSharp.Protocol.CallToolResult"))
        {
            return r => $"{Results}.Result({r})";
        }

        if (MethodAnalyzer.DerivesFrom(type, "McpSharp.Protocol.ContentBlock"))
        {
            return r => $"{Results}.Content((global::McpSharp.Protocol.ContentBlock?){r})";
        }

        if (type is IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Byte })
        {
            return r => $"{Results}.Bytes({r}, {Literals.CSharp(name)})";
        }

        if (MethodAnalyzer.EnumerableElement(type) is { } element && MethodAnalyzer.DerivesFrom(element, "McpSharp.Protocol.ContentBlock"))
        {
            return r => $"{Results}.Content({r})";
        }

        var shape = TypeShapes.Classify(type, m.Compilation);
        if (shape.Error is not null)
        {
            m.Report(Diagnostics.UnsupportedReturn, m.ReturnLocation, m.Display, shape.Error);
            return null;
        }

        // structuredContent must be a JSON object: anything else is wrapped as {"result": value}.
        bool wrapped = shape.Nullable || shape.Kind is not (ShapeKind.Object or ShapeKind.Dictionary);
        var schema = new StringBuilder();
        SchemaBuilder.Write(schema, shape, output: true);
        outputSchema = wrapped ? "{\"type\":\"object\",\"properties\":{\"result\":" + schema + "},\"required\":[\"result\"]}" : schema.ToString();
        string writer = m.Code.Writer(shape);
        string flag = wrapped ? "true" : "false";
        if (!shape.Nullable && !shape.IsValueType)
        {
            // A null where the schema promises a value would break the output schema: it is a tool error instead.
            return r => $"{r} is null ? {Results}.NoValue({Literals.CSharp(name)}) : {Results}.Structured({r}, {writer}, {flag})";
        }

        return r => $"{Results}.Structured({r}, {writer}, {flag})";
    }
}

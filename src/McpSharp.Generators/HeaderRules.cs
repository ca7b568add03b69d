using System;
using System.Collections.Generic;
using System.Linq;

namespace McpSharp.Generators;

/// <summary>
/// The validity rules of <c>x-mcp-header</c> (M26-HTTP-XMCP-VALIDITY), checked on <c>[McpHeader]</c> at compile time: a
/// client drops a tool with an invalid annotation, so a server must never publish one. The name is a non-empty RFC 9110
/// token, unique within the tool ignoring case, on a non-nullable string, boolean or integer argument whose values fit
/// the JavaScript safe range.
/// </summary>
internal static class HeaderRules
{
    private const long SafeInteger = 9007199254740991;

    /// <summary>Reports every invalid <c>[McpHeader]</c> of the method; true when there is none.</summary>
    public static bool Check(MethodAnalyzer m, bool isTool)
    {
        bool ok = true;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in m.Parameters)
        {
            if (p.Header is not { } header)
            {
                continue;
            }

            string? problem = !isTool ? "[McpHeader] applies to the arguments of tools only"
                : p.Source != ParameterSource.Argument ? "it is not an argument from the client"
                : !IsToken(header) ? $"'{header}' is not a header name (one or more letters, digits or !#$%&'*+-.^_`|~)"
                : !seen.Add(header) ? $"'{header}' is already the header of another parameter of this tool (names compare ignoring case)"
                : TypeProblem(p.Shape!);
            if (problem is not null)
            {
                m.Report(Diagnostics.InvalidHeader, p.Symbol.Locations.FirstOrDefault(), p.Symbol.Name, m.Display, problem);
                ok = false;
            }
        }

        return ok;
    }

    private static string? TypeProblem(TypeShape shape) => shape switch
    {
        { Nullable: true } => "it is nullable (a header mirrors a string, boolean or integer value; give the parameter a default instead)",
        { Kind: ShapeKind.String or ShapeKind.Enum or ShapeKind.Guid or ShapeKind.Uri or ShapeKind.DateTime or ShapeKind.DateTimeOffset or ShapeKind.DateOnly or ShapeKind.Boolean } => null,
        { Kind: ShapeKind.Integer } when shape.Min >= -SafeInteger && shape.Max <= SafeInteger => null,
        { Kind: ShapeKind.Integer or ShapeKind.UInt64 } => "its values can exceed ±(2^53-1), which a mirrored integer must not (use int or a narrower type)",
        _ => "only string, boolean and integer arguments can be mirrored (never number, array or object)",
    };

    private static bool IsToken(string name) =>
        name.Length > 0 && name.All(c => c < 128 && (char.IsLetterOrDigit(c) || "!#$%&'*+-.^_`|~".IndexOf(c) >= 0));
}

using System.Linq;
using System.Text;

namespace McpSharp.Generators;

/// <summary>Binds text values (URI template variables, prompt arguments) to parameters of simple types.</summary>
internal static class TextBinding
{
    public const string Unsupported = "template variables and prompt arguments are text: use a string, number, boolean, GUID, date, URI or enum";

    public static bool Supports(TypeShape shape) =>
        shape.Kind is ShapeKind.String or ShapeKind.Boolean or ShapeKind.Integer or ShapeKind.UInt64 or ShapeKind.Number or ShapeKind.Decimal
            or ShapeKind.Guid or ShapeKind.DateTime or ShapeKind.DateTimeOffset or ShapeKind.DateOnly or ShapeKind.Uri or ShapeKind.Enum;

    public static string Expected(TypeShape shape) => shape.Kind switch
    {
        ShapeKind.Boolean => "true or false",
        ShapeKind.Integer or ShapeKind.UInt64 => "an integer",
        ShapeKind.Number or ShapeKind.Decimal => "a number",
        ShapeKind.Guid => "a UUID",
        ShapeKind.DateTime or ShapeKind.DateTimeOffset => "a date-time",
        ShapeKind.DateOnly => "a date",
        ShapeKind.Uri => "an absolute URI",
        ShapeKind.Enum => "one of: " + string.Join(", ", shape.EnumMembers.Select(m => m.Json)),
        _ => "text",
    };

    /// <summary>
    /// Declares <paramref name="local"/> and fills it from <paramref name="textExpression"/> (a <c>string?</c>);
    /// <paramref name="missing"/> runs when the text is absent, <paramref name="fail"/> (an exception expression) when
    /// it does not convert.
    /// </summary>
    public static void Write(StringBuilder code, CodeBuilder helpers, string local, TypeShape shape, string textExpression, string missing, string fail)
    {
        string t = shape.TypeName;
        code.AppendLine($"    {shape.VariableType} {local};");
        code.AppendLine($"    string? {local}_text = {textExpression};");
        code.AppendLine($"    if ({local}_text is null) {{ {missing} }}");
        string parse = shape.Kind switch
        {
            ShapeKind.String => null!,
            ShapeKind.Enum => $"global::McpSharp.Authoring.TextArgument.TryParseEnum<{t}>({local}_text, {helpers.Reader(shape)}_Names, {helpers.Reader(shape)}_Values, out var {local}_value)",
            ShapeKind.Uri => $"global::McpSharp.Authoring.TextArgument.TryParseUri({local}_text, out var {local}_value)",
            _ => $"global::McpSharp.Authoring.TextArgument.TryParse<{t}>({local}_text, out var {local}_value)",
        };
        if (shape.Kind == ShapeKind.String)
        {
            code.AppendLine($"    else {{ {local} = {local}_text; }}");
        }
        else
        {
            code.AppendLine($"    else if ({parse}) {{ {local} = {local}_value; }}");
            code.AppendLine($"    else {{ throw {fail}; }}");
        }
    }
}

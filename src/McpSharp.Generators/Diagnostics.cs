using Microsoft.CodeAnalysis;

namespace McpSharp.Generators;

/// <summary>What the generator reports. Every mistake it can see at compile time is an error with a precise message.</summary>
internal static class Diagnostics
{
    private const string Category = "McpSharp";

    public static readonly DiagnosticDescriptor InvalidName = new(
        "MCPGEN001", "Invalid tool name",
        "Tool name '{0}' is invalid: a tool name is 1-128 characters of A-Z, a-z, 0-9, '_', '-' and '.'",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor DuplicateName = new(
        "MCPGEN002", "Duplicate name",
        "{0} '{1}' is declared more than once in '{2}'",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor DuplicateNameAcrossTypes = new(
        "MCPGEN003", "Duplicate name across types",
        "{0} '{1}' is also declared by '{2}'; registering both types on one server fails",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnsupportedParameter = new(
        "MCPGEN004", "Unsupported parameter type",
        "Parameter '{0}' of '{1}' has a type the generator cannot bind: {2}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnsupportedReturn = new(
        "MCPGEN005", "Unsupported return type",
        "The return type of '{0}' cannot be mapped to a result: {1}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor Inaccessible = new(
        "MCPGEN006", "Method not accessible",
        "'{0}' must be public or internal, in a non-generic type that is public or internal, to be exposed over MCP",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnsupportedMethod = new(
        "MCPGEN007", "Unsupported method shape",
        "'{0}' cannot be exposed over MCP: {1}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor TemplateMismatch = new(
        "MCPGEN008", "URI template and parameters disagree",
        "Resource '{0}': {1}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidHeader = new(
        "MCPGEN009", "Invalid [McpHeader]",
        "Parameter '{0}' of '{1}' cannot be mirrored in a header: {2}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
}

using System.Linq;
using System.Text;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;

namespace McpSharp.Generators;

internal static class Naming
{
    /// <summary><c>GetWeatherAsync</c> becomes <c>get_weather</c>; acronyms stay together (<c>ReadURL</c> becomes <c>read_url</c>).</summary>
    public static string SnakeCase(string name)
    {
        if (name.EndsWith("Async", System.StringComparison.Ordinal) && name.Length > 5)
        {
            name = name.Substring(0, name.Length - 5);
        }

        var text = new StringBuilder(name.Length + 8);
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (char.IsUpper(c))
            {
                bool boundary = i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1])));
                if (boundary && text.Length > 0 && text[text.Length - 1] != '_')
                {
                    text.Append('_');
                }

                text.Append(char.ToLowerInvariant(c));
            }
            else
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }

    /// <summary>A C# identifier for <paramref name="text"/>: its letters and digits, plus a hash so distinct texts never collide.</summary>
    public static string Identifier(string text)
    {
        var id = new StringBuilder();
        foreach (char c in text)
        {
            id.Append(char.IsLetterOrDigit(c) && c < 128 ? c : '_');
        }

        uint hash = 2166136261;
        foreach (char c in text)
        {
            hash = (hash ^ c) * 16777619;
        }

        return id.Append('_').Append(hash.ToString("x8", System.Globalization.CultureInfo.InvariantCulture)).ToString();
    }

    /// <summary>An identifier as C# source: keywords get <c>@</c> (<c>class</c> becomes <c>@class</c>).</summary>
    public static string Escape(string identifier) =>
        Microsoft.CodeAnalysis.CSharp.SyntaxFacts.GetKeywordKind(identifier) != Microsoft.CodeAnalysis.CSharp.SyntaxKind.None ? "@" + identifier : identifier;

    public static string CamelCase(string name) =>
        name.Length == 0 || char.IsLower(name[0]) ? name : char.ToLowerInvariant(name[0]) + name.Substring(1);

    /// <summary>True when <paramref name="name"/> follows the tool naming rules (TOOL-NAME-LEN, TOOL-NAME-CHARS).</summary>
    public static bool IsValidToolName(string name) =>
        name.Length is > 0 and <= 128 && name.All(c => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' or '-' or '.');
}

/// <summary>Descriptions from <c>[Description]</c>, else from XML documentation (when the project generates it).</summary>
internal static class Docs
{
    public static string? Describe(ISymbol symbol) => FromAttribute(symbol) ?? FromXml(symbol.GetDocumentationCommentXml(), "summary", null);

    public static string? DescribeParameter(IParameterSymbol parameter) =>
        FromAttribute(parameter) ?? FromXml(parameter.ContainingSymbol.GetDocumentationCommentXml(), "param", parameter.Name);

    private static string? FromAttribute(ISymbol symbol) =>
        symbol.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == "System.ComponentModel.DescriptionAttribute")?
            .ConstructorArguments.FirstOrDefault().Value as string;

    /// <summary><c>T:Ns.Weather</c> reads as <c>Weather</c>, <c>M:Ns.T.Run(System.Int32)</c> as <c>Run</c>.</summary>
    private static string ShortName(string cref)
    {
        int colon = cref.IndexOf(':');
        string name = colon >= 0 ? cref.Substring(colon + 1) : cref;
        int paren = name.IndexOf('(');
        name = paren >= 0 ? name.Substring(0, paren) : name;
        return name.Substring(name.LastIndexOf('.') + 1);
    }

    private static string? FromXml(string? xml, string element, string? name)
    {
        if (string.IsNullOrWhiteSpace(xml))
        {
            return null;
        }

        try
        {
            var root = XElement.Parse(xml);
            var node = root.Elements(element).FirstOrDefault(e => name is null || (string?)e.Attribute("name") == name);
            if (node is null)
            {
                return null;
            }

            // <see cref="X"/> and <paramref name="y"/> read as their names.
            foreach (var reference in node.Descendants().ToList())
            {
                string? text = (string?)reference.Attribute("cref") ?? (string?)reference.Attribute("name") ?? (string?)reference.Attribute("langword");
                if (text is not null && reference.Name.LocalName is "see" or "paramref" or "typeparamref")
                {
                    reference.ReplaceWith(new XText(ShortName(text)));
                }
            }

            string value = string.Join(" ", node.Value.Split(new[] { ' ', '\n', '\r', '\t' }, System.StringSplitOptions.RemoveEmptyEntries));
            return value.Length == 0 ? null : value;
        }
        catch (System.Xml.XmlException)
        {
            return null;
        }
    }
}

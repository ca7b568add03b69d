using System.Text;
using System.Text.RegularExpressions;

namespace McpSharp.Server;

/// <summary>
/// An RFC 6570 URI template (levels 1-3: simple, <c>+</c> reserved, <c>#</c> fragment, <c>.</c> label,
/// <c>/</c> path segment, <c>;</c> path parameter, <c>?</c> query and <c>&amp;</c> query continuation expressions),
/// used in reverse: to tell whether a URI matches and which variable values it holds. Level 4 modifiers
/// (<c>:n</c>, <c>*</c>) are accepted and matched like their level-3 forms.
/// </summary>
public sealed class UriTemplate
{
    private readonly Regex _regex;
    private readonly List<(string Name, char Operator)> _queryVariables = [];

    /// <summary>Parses a template.</summary>
    /// <exception cref="FormatException">Unbalanced braces or an empty expression.</exception>
    public UriTemplate(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        Template = template;
        _regex = new Regex(BuildPattern(template), RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, TimeSpan.FromMilliseconds(100));
    }

    /// <summary>The template text.</summary>
    public string Template { get; }

    /// <summary>
    /// Matches <paramref name="uri"/> against the template; on success returns the percent-decoded value of every
    /// variable present in the URI. Decoded values may contain any character (a simple <c>{name}</c> holding
    /// <c>..%2F..</c> yields <c>../..</c>): handlers must validate values before using them as paths (RES-SEC).
    /// </summary>
    public bool TryMatch(string uri, out IReadOnlyDictionary<string, string> variables)
    {
        ArgumentNullException.ThrowIfNull(uri);
        variables = EmptyVariables;
        Match match;
        try
        {
            match = _regex.Match(uri);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }

        if (!match.Success)
        {
            return false;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Group group in match.Groups)
        {
            if (group.Success && group.Name.StartsWith('v'))
            {
                values[DecodeName(group.Name)] = Uri.UnescapeDataString(group.Value);
            }
        }

        var query = match.Groups["query"];
        if (query.Success && _queryVariables.Count > 0)
        {
            foreach (string pair in query.Value.Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                int eq = pair.IndexOf('=', StringComparison.Ordinal);
                string name = eq < 0 ? pair : pair[..eq];
                if (_queryVariables.Exists(v => v.Name == name))
                {
                    values[name] = eq < 0 ? string.Empty : Uri.UnescapeDataString(pair[(eq + 1)..]);
                }
            }
        }

        variables = values;
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => Template;

    private static readonly IReadOnlyDictionary<string, string> EmptyVariables = new Dictionary<string, string>();

    // Regex group names must be identifiers: variable names are hex-encoded behind a 'v'.
    private static string EncodeName(string name) => "v" + Convert.ToHexString(Encoding.UTF8.GetBytes(name));

    private static string DecodeName(string group) => Encoding.UTF8.GetString(Convert.FromHexString(group.AsSpan(1)));

    private string BuildPattern(string template)
    {
        var pattern = new StringBuilder("^");
        int i = 0;
        bool queryEmitted = false;
        while (i < template.Length)
        {
            int open = template.IndexOf('{', i);
            if (open < 0)
            {
                pattern.Append(Regex.Escape(template[i..]));
                break;
            }

            pattern.Append(Regex.Escape(template[i..open]));
            int close = template.IndexOf('}', open);
            if (close < 0 || close == open + 1)
            {
                throw new FormatException($"Invalid URI template '{template}': unbalanced or empty expression.");
            }

            string expression = template[(open + 1)..close];
            char op = "+#./;?&".Contains(expression[0], StringComparison.Ordinal) ? expression[0] : '\0';
            string[] names = (op == '\0' ? expression : expression[1..]).Split(',');
            for (int n = 0; n < names.Length; n++)
            {
                names[n] = names[n].TrimEnd('*');
                int colon = names[n].IndexOf(':', StringComparison.Ordinal);
                if (colon >= 0)
                {
                    names[n] = names[n][..colon];
                }

                if (names[n].Length == 0)
                {
                    throw new FormatException($"Invalid URI template '{template}': empty variable name.");
                }
            }

            if (op is '?' or '&')
            {
                foreach (string name in names)
                {
                    _queryVariables.Add((name, op));
                }

                if (!queryEmitted)
                {
                    pattern.Append(op == '?' ? @"(?:\?(?<query>[^#]*))?" : @"(?:&(?<query>[^#]*))?");
                    queryEmitted = true;
                }
            }
            else
            {
                AppendExpression(pattern, op, names);
            }

            i = close + 1;
        }

        return pattern.Append('$').ToString();
    }

    private static void AppendExpression(StringBuilder pattern, char op, string[] names)
    {
        // Characters a single value may contain: reserved expansions may contain '/', simple ones may not; ',' only
        // separates values of a list, so a lone variable may contain it.
        bool single = names.Length == 1;
        string value = op switch
        {
            '+' or '#' => single ? "[^?#]*" : "[^?#,]*",
            '.' => "[^/?#.,]*",
            '/' => "[^/?#,]*",
            ';' => "[^/?#;,]*",
            _ => "[^/?#,]*",
        };
        string separator = op switch
        {
            '.' => @"\.",
            '/' => "/",
            ';' => ";",
            _ => ",",
        };
        string prefix = op switch
        {
            '#' => "#",
            '.' => @"\.",
            '/' => "/",
            ';' => ";",
            _ => string.Empty,
        };

        pattern.Append("(?:").Append(prefix);
        for (int n = 0; n < names.Length; n++)
        {
            if (n > 0)
            {
                pattern.Append("(?:").Append(separator);
            }

            string group = $"(?<{EncodeName(names[n])}>{value})";
            pattern.Append(op == ';' ? $"{Regex.Escape(names[n])}(?:={group})?" : group);
        }

        // Later variables of a list are optional, as an undefined variable expands to nothing.
        for (int n = 1; n < names.Length; n++)
        {
            pattern.Append(")?");
        }

        pattern.Append(op == '\0' || op == '+' ? ")" : ")?");
    }
}

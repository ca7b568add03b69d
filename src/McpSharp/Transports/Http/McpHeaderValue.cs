using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace McpSharp.Transports.Http;

/// <summary>
/// Values of the <c>Mcp-Name</c> and <c>Mcp-Param-*</c> headers (2026-07-28, M26-HTTP-MCP-NAME, M26-HTTP-XMCP-CLIENT):
/// a value that is not plain visible ASCII (non-ASCII, control characters, leading or trailing whitespace) or that
/// looks like the sentinel travels as <c>=?base64?&lt;Base64 of its UTF-8&gt;?=</c>, markers lowercase and exact.
/// </summary>
public static class McpHeaderValue
{
    private const string Prefix = "=?base64?";
    private const string Suffix = "?=";

    /// <summary>The header value for <paramref name="value"/>: as is when safe, else the Base64 sentinel form.</summary>
    public static string Encode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return IsSafe(value) ? value : Prefix + Convert.ToBase64String(Encoding.UTF8.GetBytes(value)) + Suffix;
    }

    /// <summary>
    /// The value a header carries: the sentinel form decoded (strict Base64 of valid UTF-8), anything else as is. False
    /// when the sentinel is malformed or the value has characters a header may not carry.
    /// </summary>
    public static bool TryDecode(string header, [NotNullWhen(true)] out string? value)
    {
        ArgumentNullException.ThrowIfNull(header);
        value = null;
        foreach (char c in header)
        {
            // RFC 9110 field values: visible ASCII, space and tab.
            if (c is not ('\t' or (>= ' ' and <= '~')))
            {
                return false;
            }
        }

        if (!header.StartsWith(Prefix, StringComparison.Ordinal) || !header.EndsWith(Suffix, StringComparison.Ordinal) || header.Length < Prefix.Length + Suffix.Length)
        {
            value = header;
            return true;
        }

        var base64 = header.AsSpan(Prefix.Length, header.Length - Prefix.Length - Suffix.Length);
        byte[] bytes = new byte[base64.Length];
        if (base64.Length % 4 != 0 || !Convert.TryFromBase64Chars(base64, bytes, out int written))
        {
            return false;
        }

        try
        {
            value = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 0, written);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private static bool IsSafe(string value)
    {
        if (value.Length > 0 && (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1])))
        {
            return false;
        }

        foreach (char c in value)
        {
            if (c is < ' ' or > '~')
            {
                return false;
            }
        }

        return !(value.StartsWith(Prefix, StringComparison.Ordinal) && value.EndsWith(Suffix, StringComparison.Ordinal));
    }
}

using System.Buffers.Text;
using System.Text;
using McpSharp.Protocol;

namespace McpSharp.Server;

/// <summary>
/// Opaque pagination cursors (PAGE-OPAQUE, PAGE-STABLE): a cursor names the last key of the page it ends, so the next
/// page starts after it even when items were added or removed in between. Anything that does not decode is -32602.
/// </summary>
internal static class Cursor
{
    private const string Prefix = "mcps1:";

    public static string Encode(string lastKey) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Prefix + lastKey));

    public static string Decode(string cursor)
    {
        try
        {
            string text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            if (text.StartsWith(Prefix, StringComparison.Ordinal))
            {
                return text[Prefix.Length..];
            }
        }
        catch (FormatException)
        {
        }

        throw new McpProtocolException(McpErrorCodes.InvalidParams, "Invalid cursor");
    }
}

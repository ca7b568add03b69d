using System.Buffers.Text;
using System.Security.Cryptography;

namespace McpSharp.AspNetCore.Sessions;

/// <summary>
/// Session ids: 128 bits from a CSPRNG, Base64url (22 visible ASCII characters, HTTP-SESS-ASCII, SEC-SESS-RANDOM). And
/// the tag a node puts in front of the ids it makes for streams, so that ids made by different nodes of a cluster never
/// meet without any node counting for the others.
/// </summary>
internal static class SessionIds
{
    /// <summary>48 random bits, Base64url (8 characters).</summary>
    public static string NodeTag()
    {
        Span<byte> bytes = stackalloc byte[6];
        RandomNumberGenerator.Fill(bytes);
        return Base64Url.EncodeToString(bytes);
    }

    public static string Create()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return Base64Url.EncodeToString(bytes);
    }
}

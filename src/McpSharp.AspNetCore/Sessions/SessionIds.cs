using System.Buffers.Text;
using System.Security.Cryptography;

namespace McpSharp.AspNetCore.Sessions;

/// <summary>Session ids: 128 bits from a CSPRNG, Base64url (22 visible ASCII characters, HTTP-SESS-ASCII, SEC-SESS-RANDOM).</summary>
internal static class SessionIds
{
    public static string Create()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return Base64Url.EncodeToString(bytes);
    }
}

using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using McpSharp.Server;
using Microsoft.AspNetCore.DataProtection;

namespace McpSharp.AspNetCore;

/// <summary>
/// Seals <c>requestState</c> with ASP.NET Core Data Protection (authenticated encryption, keys rotated and, with a shared
/// key ring, the same on every node), instead of the HMAC key of <see cref="McpRequestStateOptions.Key"/>.
/// </summary>
internal sealed class DataProtectionRequestStateProtector(IDataProtectionProvider provider) : IRequestStateProtector
{
    private readonly IDataProtector _protector = provider.CreateProtector("McpSharp.RequestState.v1");

    public string Protect(ReadOnlySpan<byte> plaintext) => Base64UrlEncode(_protector.Protect(plaintext.ToArray()));

    public bool TryUnprotect(string protectedText, [NotNullWhen(true)] out byte[]? plaintext)
    {
        plaintext = null;
        try
        {
            plaintext = _protector.Unprotect(System.Buffers.Text.Base64Url.DecodeFromChars(protectedText));
            return true;
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            return false;
        }
    }

    private static string Base64UrlEncode(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);
}

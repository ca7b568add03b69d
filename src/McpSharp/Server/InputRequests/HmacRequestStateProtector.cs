using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace McpSharp.Server;

/// <summary>
/// The default <see cref="IRequestStateProtector"/>: the plaintext in Base64url, a dot, and its HMAC-SHA256 in
/// Base64url. Integrity only: the state holds nothing the client did not send (its own answers) besides the binding.
/// </summary>
public sealed class HmacRequestStateProtector : IRequestStateProtector
{
    private readonly byte[] _key;

    /// <summary>Creates a protector with <paramref name="key"/> (at least 32 bytes).</summary>
    public HmacRequestStateProtector(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < 32)
        {
            throw new ArgumentException("The requestState key needs at least 32 bytes.", nameof(key));
        }

        _key = key.ToArray();
    }

    /// <summary>A protector with a random key: only this process can open what it seals.</summary>
    public static HmacRequestStateProtector CreateRandom() => new(RandomNumberGenerator.GetBytes(32));

    /// <inheritdoc />
    public string Protect(ReadOnlySpan<byte> plaintext)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, plaintext, mac);
        return Base64Url.EncodeToString(plaintext) + "." + Base64Url.EncodeToString(mac);
    }

    /// <inheritdoc />
    public bool TryUnprotect(string protectedText, [NotNullWhen(true)] out byte[]? plaintext)
    {
        ArgumentNullException.ThrowIfNull(protectedText);
        plaintext = null;
        int dot = protectedText.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0)
        {
            return false;
        }

        byte[] body, mac;
        try
        {
            body = Base64Url.DecodeFromChars(protectedText.AsSpan(0, dot));
            mac = Base64Url.DecodeFromChars(protectedText.AsSpan(dot + 1));
        }
        catch (FormatException)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, body, expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, mac))
        {
            return false;
        }

        plaintext = body;
        return true;
    }
}

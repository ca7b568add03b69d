using System.Diagnostics.CodeAnalysis;

namespace McpSharp.Server;

/// <summary>
/// Seals and opens the <c>requestState</c> a server hands a 2026-07-28 client in an <c>input_required</c> result. A
/// client must not be able to forge or alter it (M26-MRTR-STATE-SECURITY); any process that shares the protector's key
/// must be able to open it, so a retry can land anywhere.
/// </summary>
public interface IRequestStateProtector
{
    /// <summary>Seals <paramref name="plaintext"/> into an opaque string.</summary>
    string Protect(ReadOnlySpan<byte> plaintext);

    /// <summary>Opens a string made by <see cref="Protect"/>; false when it was altered, forged or is malformed.</summary>
    bool TryUnprotect(string protectedText, [NotNullWhen(true)] out byte[]? plaintext);
}

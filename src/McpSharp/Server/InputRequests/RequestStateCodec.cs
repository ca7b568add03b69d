using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using McpSharp.JsonRpc;
using McpSharp.Protocol;

namespace McpSharp.Server;

/// <summary>
/// What a <c>requestState</c> holds, sealed by an <see cref="IRequestStateProtector"/>: the answers gathered in earlier
/// rounds, bound to the method, a digest of the request's parameters, the principal and an expiry
/// (M26-MRTR-STATE-REPLAY). Opening refuses state that fails any of these with -32602.
/// </summary>
internal sealed class RequestStateCodec(IRequestStateProtector protector, TimeProvider time, TimeSpan lifetime)
{
    private const int Version = 1;

    public string Seal(RequestBinding binding, IReadOnlyDictionary<string, JsonElement> answers)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, JsonWriting.Values))
        {
            writer.WriteStartObject();
            writer.WriteNumber("v"u8, Version);
            writer.WriteString("m"u8, binding.Method);
            writer.WriteBase64String("d"u8, binding.Digest);
            if (binding.Principal is not null)
            {
                writer.WriteString("p"u8, binding.Principal);
            }

            writer.WriteNumber("e"u8, (time.GetUtcNow() + lifetime).ToUnixTimeMilliseconds());

            // A nonce: two rounds with the same answers still get different states.
            writer.WriteBase64String("n"u8, RandomNumberGenerator.GetBytes(8));
            writer.WriteStartObject("a"u8);
            foreach (var (key, answer) in answers)
            {
                writer.WritePropertyName(key);
                answer.WriteTo(writer);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return protector.Protect(buffer.WrittenSpan);
    }

    public Dictionary<string, JsonElement> Open(string state, RequestBinding binding)
    {
        if (!protector.TryUnprotect(state, out byte[]? plaintext))
        {
            throw Refused("it failed verification");
        }

        try
        {
            using var document = JsonDocument.Parse(plaintext);
            var root = document.RootElement;
            if (root.GetProperty("v").GetInt32() != Version)
            {
                throw Refused("it is of an unknown version");
            }

            if (!string.Equals(root.GetProperty("m").GetString(), binding.Method, StringComparison.Ordinal)
                || !root.GetProperty("d").GetBytesFromBase64().AsSpan().SequenceEqual(binding.Digest))
            {
                throw Refused("it belongs to another request");
            }

            string? principal = root.TryGetProperty("p", out var p) ? p.GetString() : null;
            if (!string.Equals(principal, binding.Principal, StringComparison.Ordinal))
            {
                throw Refused("it belongs to another user");
            }

            if (time.GetUtcNow().ToUnixTimeMilliseconds() > root.GetProperty("e").GetInt64())
            {
                throw Refused("it has expired");
            }

            var answers = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var answer in root.GetProperty("a").EnumerateObject())
            {
                answers[answer.Name] = answer.Value.Clone();
            }

            return answers;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw Refused("it is malformed");
        }
    }

    private static McpProtocolException Refused(string why) =>
        new(McpErrorCodes.InvalidParams, $"Invalid params: the requestState was refused: {why}. Send the request again without it.");
}

/// <summary>What a <c>requestState</c> is bound to: the method, a digest of its parameters, and the principal.</summary>
internal readonly record struct RequestBinding(string Method, byte[] Digest, string? Principal)
{
    private static readonly string[] Unbound = ["_meta", "inputResponses", "requestState"];

    /// <summary>
    /// The binding of <paramref name="request"/>: SHA-256 over its parameters in a canonical form (properties sorted,
    /// no whitespace), leaving out what changes from round to round (<c>_meta</c>, <c>inputResponses</c>,
    /// <c>requestState</c>).
    /// </summary>
    public static RequestBinding Of(JsonRpcRequest request, string? principal)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, JsonWriting.Messages))
        {
            if (request.Params.IsNone)
            {
                writer.WriteNullValue();
            }
            else
            {
                var raw = request.Params.Raw;
                if (raw.IsEmpty)
                {
                    // Parameters built in code rather than received: their JSON first.
                    var typed = new ArrayBufferWriter<byte>(256);
                    using (var typedWriter = new Utf8JsonWriter(typed, JsonWriting.Messages))
                    {
                        request.Params.WriteTo(typedWriter);
                    }

                    raw = typed.WrittenMemory;
                }

                using var document = JsonDocument.Parse(raw);
                WriteCanonical(writer, document.RootElement, top: true);
            }
        }

        return new RequestBinding(request.Method, SHA256.HashData(buffer.WrittenSpan), principal);
    }

    private static void WriteCanonical(Utf8JsonWriter writer, JsonElement element, bool top)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject().Where(p => !top || Array.IndexOf(Unbound, p.Name) < 0).OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    WriteCanonical(writer, property.Value, top: false);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteCanonical(writer, item, top: false);
                }

                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}

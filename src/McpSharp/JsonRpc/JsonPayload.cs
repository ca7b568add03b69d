using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace McpSharp.JsonRpc;

/// <summary>
/// The JSON value of a message's <c>params</c> or <c>result</c>: either raw UTF-8 JSON as received (read lazily, with
/// the type the handler asks for) or a typed value with its source-generated <see cref="JsonTypeInfo"/> (written
/// straight into the outgoing message, with no intermediate buffer).
/// </summary>
public readonly struct JsonPayload
{
    private readonly ReadOnlyMemory<byte> _raw;
    private readonly object? _value;
    private readonly JsonTypeInfo? _typeInfo;

    private JsonPayload(ReadOnlyMemory<byte> raw, object? value, JsonTypeInfo? typeInfo)
    {
        _raw = raw;
        _value = value;
        _typeInfo = typeInfo;
    }

    /// <summary>No value: the member is absent from the message.</summary>
    public static JsonPayload None => default;

    /// <summary>True when the member is absent.</summary>
    public bool IsNone => _typeInfo is null && _raw.IsEmpty;

    /// <summary>The typed value this payload holds, or null when it holds raw JSON (for telemetry: a tool result's isError).</summary>
    internal object? Value => _value;

    /// <summary>The raw UTF-8 JSON, or empty when this payload holds a typed value.</summary>
    public ReadOnlyMemory<byte> Raw => _raw;

    /// <summary>Wraps raw UTF-8 JSON; the memory must stay unchanged while the payload is in use.</summary>
    public static JsonPayload FromRaw(ReadOnlyMemory<byte> utf8Json) => new(utf8Json, null, null);

    /// <summary>Wraps a typed value, serialized with <paramref name="typeInfo"/> when the message is written.</summary>
    public static JsonPayload FromValue<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        return new JsonPayload(default, value, typeInfo);
    }

    /// <summary>Reads the payload as <typeparamref name="T"/>; returns default when absent.</summary>
    /// <exception cref="JsonException">The JSON does not match <typeparamref name="T"/>.</exception>
    public T? Deserialize<T>(JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        if (_typeInfo is not null)
        {
            if (_value is T typed)
            {
                return typed;
            }

            var buffer = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer, JsonWriting.Values))
            {
                WriteTo(writer);
            }

            return JsonSerializer.Deserialize(buffer.WrittenSpan, typeInfo);
        }

        if (_raw.IsEmpty)
        {
            return default;
        }

        try
        {
            return JsonSerializer.Deserialize(_raw.Span, typeInfo);
        }
        catch (NotSupportedException ex)
        {
            // System.Text.Json's word for a polymorphic object with no type discriminator (a content block without
            // "type"): JSON that does not match, like any other, not a fault of this process.
            throw new JsonException(ex.Message, ex);
        }
    }

    /// <summary>The payload as UTF-8 JSON: the raw bytes, or the typed value serialized.</summary>
    internal ReadOnlyMemory<byte> ToUtf8()
    {
        if (_typeInfo is null)
        {
            return _raw;
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, JsonWriting.Values))
        {
            WriteTo(writer);
        }

        return buffer.WrittenMemory;
    }

    /// <summary>Writes the value; writes <c>null</c> when absent.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (_typeInfo is not null)
        {
            JsonSerializer.Serialize(writer, _value, _typeInfo);
        }
        else if (!_raw.IsEmpty)
        {
            writer.WriteRawValue(_raw.Span, skipInputValidation: true);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}

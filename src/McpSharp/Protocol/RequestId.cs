using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace McpSharp.Protocol;

/// <summary>
/// A JSON-RPC request id: a string or an integer (BASE-REQ-ID-TYPE), never <c>null</c> (BASE-REQ-ID-NOTNULL).
/// The two forms are distinct: <c>"1"</c> and <c>1</c> are different ids, and a response echoes the exact form.
/// </summary>
[JsonConverter(typeof(RequestIdConverter))]
public readonly struct RequestId : IEquatable<RequestId>
{
    private readonly string? _string;
    private readonly long _number;

    /// <summary>Creates a string id.</summary>
    public RequestId(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _string = value;
        _number = 0;
    }

    /// <summary>Creates an integer id.</summary>
    public RequestId(long value)
    {
        _string = null;
        _number = value;
    }

    /// <summary>True when the id is a string.</summary>
    public bool IsString => _string is not null;

    /// <summary>The string value, or null when the id is an integer.</summary>
    public string? AsString => _string;

    /// <summary>The integer value (0 when the id is a string).</summary>
    public long AsNumber => _number;

    /// <inheritdoc />
    public bool Equals(RequestId other) =>
        _string is null ? other._string is null && _number == other._number : string.Equals(_string, other._string, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is RequestId other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _string is null ? _number.GetHashCode() : StringComparer.Ordinal.GetHashCode(_string);

    /// <summary>The id as it would appear in JSON, without quotes for strings.</summary>
    public override string ToString() => _string ?? _number.ToString(CultureInfo.InvariantCulture);

    /// <summary>Equality.</summary>
    public static bool operator ==(RequestId left, RequestId right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(RequestId left, RequestId right) => !left.Equals(right);

    /// <summary>Writes the id in its exact JSON form.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (_string is null)
        {
            writer.WriteNumberValue(_number);
        }
        else
        {
            writer.WriteStringValue(_string);
        }
    }

    /// <summary>Reads a string or integer id; returns false for any other token (null, float, bool, object).</summary>
    public static bool TryRead(ref Utf8JsonReader reader, out RequestId id)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                id = new RequestId(reader.GetString()!);
                return true;
            case JsonTokenType.Number when reader.TryGetInt64(out long n):
                id = new RequestId(n);
                return true;
            default:
                id = default;
                return false;
        }
    }
}

/// <summary>Serializes <see cref="RequestId"/> (and progress tokens) as a JSON string or integer.</summary>
internal sealed class RequestIdConverter : JsonConverter<RequestId>
{
    public override RequestId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        RequestId.TryRead(ref reader, out RequestId id) ? id : throw new JsonException("An id must be a string or an integer.");

    public override void Write(Utf8JsonWriter writer, RequestId value, JsonSerializerOptions options) => value.WriteTo(writer);
}

/// <summary>
/// A progress token (<c>params._meta.progressToken</c>): a string or an integer, like a request id (PROG-TOKEN-TYPE).
/// </summary>
[JsonConverter(typeof(ProgressTokenConverter))]
public readonly record struct ProgressToken(RequestId Value)
{
    /// <summary>Creates a string token.</summary>
    public ProgressToken(string value) : this(new RequestId(value)) { }

    /// <summary>Creates an integer token.</summary>
    public ProgressToken(long value) : this(new RequestId(value)) { }

    /// <inheritdoc />
    public override string ToString() => Value.ToString();
}

internal sealed class ProgressTokenConverter : JsonConverter<ProgressToken>
{
    public override ProgressToken Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        RequestId.TryRead(ref reader, out RequestId id) ? new ProgressToken(id) : throw new JsonException("A progress token must be a string or an integer.");

    public override void Write(Utf8JsonWriter writer, ProgressToken value, JsonSerializerOptions options) => value.Value.WriteTo(writer);
}

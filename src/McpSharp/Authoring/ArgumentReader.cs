using System.ComponentModel;
using System.Globalization;
using System.Text.Json;

namespace McpSharp.Authoring;

/// <summary>
/// Reads and validates one JSON argument value against the type the generated schema promised. Each reader returns
/// false and records a problem when the value does not fit; used by generated binding code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ArgumentReader
{
    /// <summary>Checks that the value is of <paramref name="kind"/> (object or array).</summary>
    public static bool Expect(JsonElement element, JsonValueKind kind, in ArgumentPath path, ref ArgumentErrors? errors)
    {
        if (element.ValueKind == kind)
        {
            return true;
        }

        ArgumentErrors.Add(ref errors, path, kind == JsonValueKind.Object ? "must be an object" : "must be an array");
        return false;
    }

    /// <summary>A string.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static bool ReadString(JsonElement element, in ArgumentPath path, ref ArgumentErrors? errors, out string value)
    {
        if (element.ValueKind == JsonValueKind.String)
        {
            value = element.GetString()!;
            return true;
        }

        return Fail(ref errors, path, "must be a string", out value);
    }

    /// <summary>A boolean.</summary>
    public static bool ReadBoolean(JsonElement element, in ArgumentPath path, ref ArgumentErrors? errors, out bool value)
    {
        if (element.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            value = element.ValueKind == JsonValueKind.True;
            return true;
        }

        return Fail(ref errors, path, "must be a boolean", out value);
    }

    /// <summary>An integer within [<paramref name="min"/>, <paramref name="max"/>]; <c>1.0</c> counts as an integer, as in JSON Schema.</summary>
    public static bool ReadInteger(JsonElement element, long min, long max, in ArgumentPath path, ref ArgumentErrors? errors, out long value)
    {
        if (element.ValueKind == JsonValueKind.Number)
        {
            bool whole = element.TryGetInt64(out value);
            if (!whole && element.TryGetDouble(out double d) && double.IsInteger(d) && d >= -9.2233720368547758E18 && d < 9.2233720368547758E18)
            {
                value = (long)d;
                whole = true;
            }

            if (whole)
            {
                if (value >= min && value <= max)
                {
                    return true;
                }

                return Fail(ref errors, path, $"must be an integer between {min} and {max}", out value);
            }
        }

        return Fail(ref errors, path, "must be an integer", out value);
    }

    /// <summary>A non-negative integer up to <see cref="ulong.MaxValue"/>.</summary>
    public static bool ReadUInt64(JsonElement element, in ArgumentPath path, ref ArgumentErrors? errors, out ulong value)
    {
        if (element.ValueKind == JsonValueKind.Number)
        {
            if (element.TryGetUInt64(out value))
            {
                return true;
            }

            // 1.0 is an integer in JSON Schema.
            if (element.TryGetDecimal(out decimal whole) && decimal.IsInteger(whole) && whole >= 0 && whole <= ulong.MaxValue)
            {
                value = (ulong)whole;
                return true;
            }
        }

        return Fail(ref errors, path, "must be a non-negative integer", out value);
    }

    /// <summary>A finite number.</summary>
    public static bool ReadDouble(JsonElement element, in ArgumentPath path, ref ArgumentErrors? errors, out double value)
    {
        if (element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out value) && double.IsFinite(value))
        {
            return true;
        }

        return Fail(ref errors, path, "must be a number", out value);
    }

    /// <summary>A number within the range of <see cref="float"/> (no overflow to infinity).</summary>
    public static bool ReadSingle(JsonElement element, in ArgumentPath path, ref ArgumentErrors? errors, out float value)
    {
        if (element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out double d) && double.IsFinite(d) && float.IsFinite((float)d))
        {
            value = (float)d;
            return true;
        }

        return Fail(ref errors, path, "must be a number within the range of a 32-bit float", out value);
    }

    /// <summary>A number that fits <see cref="decimal"/>.</summary>
    public static bool ReadDecimal(JsonElement element, in ArgumentPath path, ref ArgumentErrors? errors, out decimal value)
    {
        if (element.ValueKind == JsonValueKind.Number && element.TryGetDecimal(out value))
        {
            return true;
        }

        return Fail(ref errors, path, "must be a number", out value);
    }

    /// <summary>A GUID string.</summary>
    public static bool ReadGuid(JsonElement element, in ArgumentPath path, ref ArgumentErrors? errors, out Guid value)
    {
        if (element.ValueKind == JsonValueKind.String && System.Guid.TryParse(element.GetString(), CultureInfo.InvariantCulture, out value))
        {
            return true;
        }

        return Fail(ref errors, path, "must be a UUID string", out value);
    }

    /// <summary>An RFC 3339 date-time string.</summary>
    public static bool ReadDateTimeOffset(JsonElement element, in ArgumentPath path, ref ArgumentErrors? errors, out DateTimeOffset value)
    {
        if (element.ValueKind == JsonValueKind.String && HasOffset(element) && element.TryGetDateTimeOffset(out value))
        {
            return true;
        }

        return Fail(ref errors, path, "must be a date-time string (RFC 3339)", out value);
    }

    /// <summary>An RFC 3339 date-time string, as a <see cref="System.DateTime"/>.</summary>
    public static bool ReadDateTime(JsonElement element, in ArgumentPath path, ref ArgumentErrors? errors, out DateTime value)
    {
        if (element.ValueKind == JsonValueKind.String && HasOffset(element) && element.TryGetDateTime(out value))
        {
            return true;
        }

        return Fail(ref errors, path, "must be a date-time string (RFC 3339)", out value);
    }

    /// <summary>A full-date string (<c>2026-11-21</c>).</summary>
    public static bool ReadDateOnly(JsonElement element, in ArgumentPath path, ref ArgumentErrors? errors, out DateOnly value)
    {
        if (element.ValueKind == JsonValueKind.String && System.DateOnly.TryParseExact(element.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out value))
        {
            return true;
        }

        return Fail(ref errors, path, "must be a date string (yyyy-MM-dd)", out value);
    }

    /// <summary>An absolute URI string.</summary>
    public static bool ReadUri(JsonElement element, in ArgumentPath path, ref ArgumentErrors? errors, out Uri value)
    {
        if (element.ValueKind == JsonValueKind.String && TextArgument.TryParseUri(element.GetString()!, out value!))
        {
            return true;
        }

        return Fail(ref errors, path, "must be an absolute URI", out value!);
    }

    /// <summary>One of an enum's names, exactly as the schema lists them.</summary>
    public static bool ReadEnum<T>(JsonElement element, string[] names, T[] values, in ArgumentPath path, ref ArgumentErrors? errors, out T value)
        where T : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(values);
        if (element.ValueKind == JsonValueKind.String)
        {
            for (int i = 0; i < names.Length; i++)
            {
                if (element.ValueEquals(names[i]))
                {
                    value = values[i];
                    return true;
                }
            }
        }

        return Fail(ref errors, path, "must be one of: " + string.Join(", ", names), out value);
    }

    /// <summary>Any JSON value, kept as is.</summary>
    public static bool ReadAny(JsonElement element, out JsonElement value)
    {
        value = element.Clone();
        return true;
    }

    /// <summary>RFC 3339 date-times carry an offset (<c>Z</c> or <c>±hh:mm</c>); without one the server's zone would be guessed.</summary>
    private static bool HasOffset(JsonElement element)
    {
        string text = element.GetString()!;
        return text.Length > 6 && (text[^1] is 'Z' or 'z' || (text[^6] is '+' or '-' && text[^3] == ':'));
    }

    private static bool Fail<T>(ref ArgumentErrors? errors, in ArgumentPath path, string problem, out T value)
    {
        ArgumentErrors.Add(ref errors, path, problem);
        value = default!;
        return false;
    }
}

using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using McpSharp.JsonRpc;

namespace McpSharp.Diagnostics;

/// <summary>
/// What telemetry reads from a message's <c>params</c> (read only while someone listens): the tool or prompt name, the
/// resource URI, and the trace context in <c>_meta</c> (<c>traceparent</c>, <c>tracestate</c>, <c>baggage</c>,
/// unprefixed per SEP-414), extracted and injected with the configured <see cref="DistributedContextPropagator"/>.
/// </summary>
internal sealed class RequestFields
{
    private static readonly RequestFields Empty = new();
    private Dictionary<string, string>? _meta;

    public string? Name { get; private set; }

    public string? Uri { get; private set; }

    public static RequestFields Read(ReadOnlyMemory<byte> json)
    {
        if (json.IsEmpty)
        {
            return Empty;
        }

        var fields = new RequestFields();
        try
        {
            var reader = new Utf8JsonReader(json.Span);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return Empty;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                int member = reader.ValueTextEquals("name"u8) ? 1 : reader.ValueTextEquals("uri"u8) ? 2 : reader.ValueTextEquals("_meta"u8) ? 3 : 0;
                reader.Read();
                if (member == 1 && reader.TokenType == JsonTokenType.String)
                {
                    fields.Name = reader.GetString();
                }
                else if (member == 2 && reader.TokenType == JsonTokenType.String)
                {
                    fields.Uri = reader.GetString();
                }
                else if (member == 3 && reader.TokenType == JsonTokenType.StartObject)
                {
                    fields.ReadMeta(ref reader);
                }
                else
                {
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            // Malformed params are the handler's business; telemetry reads what it can.
        }

        return fields;
    }

    /// <summary>True when a <c>tools/call</c> result says <c>"isError": true</c>.</summary>
    public static bool ReadIsError(ReadOnlyMemory<byte> json)
    {
        if (json.IsEmpty)
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("isError"u8, out var isError) && isError.ValueKind == JsonValueKind.True;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The sender's span context from <c>_meta</c>, to parent the receiver's span on.</summary>
    public bool TryGetParent(out ActivityContext parent)
    {
        parent = default;
        if (_meta is null)
        {
            return false;
        }

        DistributedContextPropagator.Current.ExtractTraceIdAndState(_meta, Getter, out string? traceParent, out string? traceState);
        return traceParent is not null && ActivityContext.TryParse(traceParent, traceState, isRemote: true, out parent);
    }

    /// <summary>The sender's baggage from <c>_meta</c>, onto the receiver's span.</summary>
    public void ApplyBaggage(Activity? activity)
    {
        if (activity is null || _meta is null || DistributedContextPropagator.Current.ExtractBaggage(_meta, Getter) is not { } baggage)
        {
            return;
        }

        foreach (var (key, value) in baggage)
        {
            activity.AddBaggage(key, value);
        }
    }

    /// <summary><paramref name="parameters"/> (an object, or absent) with the span's context added to its <c>_meta</c>.</summary>
    public static JsonPayload Inject(ReadOnlyMemory<byte> parameters, Activity activity)
    {
        var injected = new List<KeyValuePair<string, string>>(3);
        DistributedContextPropagator.Current.Inject(activity, injected, static (carrier, key, value) =>
        {
            if (carrier is List<KeyValuePair<string, string>> list && value is not null)
            {
                list.Add(KeyValuePair.Create(key, value));
            }
        });
        if (injected.Count == 0)
        {
            return parameters.IsEmpty ? JsonPayload.None : JsonPayload.FromRaw(parameters);
        }

        try
        {
            using var document = parameters.IsEmpty ? null : JsonDocument.Parse(parameters);
            if (document is not null && document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return JsonPayload.FromRaw(parameters);
            }

            var buffer = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                bool wroteMeta = false;
                foreach (var property in document?.RootElement.EnumerateObject() ?? default)
                {
                    if (property.NameEquals("_meta"u8) && property.Value.ValueKind == JsonValueKind.Object)
                    {
                        WriteMeta(writer, property.Value, injected);
                        wroteMeta = true;
                    }
                    else
                    {
                        property.WriteTo(writer);
                    }
                }

                if (!wroteMeta)
                {
                    WriteMeta(writer, default, injected);
                }

                writer.WriteEndObject();
            }

            return JsonPayload.FromRaw(buffer.WrittenMemory);
        }
        catch (JsonException)
        {
            return JsonPayload.FromRaw(parameters);
        }
    }

    private static void WriteMeta(Utf8JsonWriter writer, JsonElement existing, List<KeyValuePair<string, string>> injected)
    {
        writer.WritePropertyName("_meta"u8);
        writer.WriteStartObject();
        if (existing.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in existing.EnumerateObject())
            {
                if (!injected.Exists(i => property.NameEquals(i.Key)))
                {
                    property.WriteTo(writer);
                }
            }
        }

        foreach (var (key, value) in injected)
        {
            writer.WriteString(key, value);
        }

        writer.WriteEndObject();
    }

    private static void Getter(object? carrier, string name, out string? value, out IEnumerable<string>? values)
    {
        values = null;
        value = carrier is Dictionary<string, string> meta && meta.TryGetValue(name, out string? found) ? found : null;
    }

    private void ReadMeta(ref Utf8JsonReader reader)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string key = reader.GetString()!;
            reader.Read();
            if (reader.TokenType == JsonTokenType.String && key is "traceparent" or "tracestate" or "baggage")
            {
                (_meta ??= new(StringComparer.Ordinal))[key] = reader.GetString()!;
            }
            else
            {
                reader.Skip();
            }
        }
    }
}

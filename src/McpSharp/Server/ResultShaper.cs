using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using McpSharp.JsonRpc;
using McpSharp.Protocol;

namespace McpSharp.Server;

/// <summary>
/// Shapes the results of 2026-07-28 requests on the way out: <c>resultType</c> on every result
/// (M26-RESULT-TYPE-REQUIRED), <c>_meta["io.modelcontextprotocol/serverInfo"]</c> (M26-META-SERVERINFO), and
/// <c>ttlMs</c> / <c>cacheScope</c> on the complete results of the cacheable methods (M26-CACHE-HINTS). Nothing is
/// mutated: handlers may return shared result objects, and a 2025 client must never see these keys
/// (M26-RESULT-TYPE-LEGACY-WIRE), so the keys are added while the result is written, and only for 2026 requests.
/// What a result already carries is kept (a handler's own <c>resultType</c>, <c>_meta</c> entries or cache hints).
/// </summary>
internal sealed class ResultShaper
{
    private static readonly JsonTypeInfo<ShapedResult> ShapedType =
        JsonMetadataServices.CreateValueInfo<ShapedResult>(McpJsonContext.Default.Options, new ShapedResultConverter());

    private readonly McpServerOptions _options;
    private byte[]? _serverInfo;

    public ResultShaper(McpServerOptions options) => _options = options;

    public JsonPayload Shape(JsonPayload result, string method)
    {
        var caching = _options.Caching;
        TimeSpan? ttl = method switch
        {
            McpMethods.ServerDiscover => caching.DiscoverTimeToLive,
            McpMethods.ToolsList or McpMethods.PromptsList or McpMethods.ResourcesList or McpMethods.ResourcesTemplatesList => caching.ListTimeToLive,
            McpMethods.ResourcesRead => caching.ResourceTimeToLive,
            _ => null,
        };

        byte[]? serverInfo = _options.IncludeServerInfoInResults
            ? _serverInfo ??= JsonSerializer.SerializeToUtf8Bytes(_options.ServerInfo, McpJsonContext.Default.Implementation)
            : null;
        // What varies with the caller (lists) or is for some callers only (reads) is never shared (M26-CACHE-NO-AUTHZ).
        var scope = _options.AccessFilter is not null && method is McpMethods.ToolsList or McpMethods.PromptsList or McpMethods.ResourcesList or McpMethods.ResourcesTemplatesList or McpMethods.ResourcesRead
            ? CacheScope.Private
            : caching.Scope;
        return JsonPayload.FromValue(new ShapedResult(result, ttl is { } t ? (long)Math.Max(0, t.TotalMilliseconds) : null, scope, serverInfo), ShapedType);
    }

    private sealed record ShapedResult(JsonPayload Inner, long? TtlMs, CacheScope Scope, byte[]? ServerInfo);

    private sealed class ShapedResultConverter : JsonConverter<ShapedResult>
    {
        public override ShapedResult Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("Shaped results are written only.");

        public override void Write(Utf8JsonWriter writer, ShapedResult value, JsonSerializerOptions options)
        {
            ReadOnlySpan<byte> json;
            ArrayBufferWriter<byte>? buffer = null;
            if (!value.Inner.Raw.IsEmpty)
            {
                json = value.Inner.Raw.Span;
            }
            else
            {
                buffer = new ArrayBufferWriter<byte>(512);
                using (var inner = new Utf8JsonWriter(buffer, JsonWriting.Messages))
                {
                    if (value.Inner.IsNone)
                    {
                        inner.WriteStartObject();
                        inner.WriteEndObject();
                    }
                    else
                    {
                        value.Inner.WriteTo(inner);
                    }
                }

                json = buffer.WrittenSpan;
            }

            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                writer.WriteRawValue(json, skipInputValidation: true);
                return;
            }

            writer.WriteStartObject();
            bool hasType = false, complete = true, hasTtl = false, hasScope = false, hasMeta = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("_meta"u8) && value.ServerInfo is not null)
                {
                    hasMeta = true;
                    reader.Read();
                    writer.WritePropertyName("_meta"u8);
                    WriteMeta(writer, ref reader, json, value.ServerInfo);
                    continue;
                }

                if (reader.ValueTextEquals("resultType"u8))
                {
                    hasType = true;
                    var next = reader;
                    next.Read();
                    complete = next.TokenType == JsonTokenType.String && next.ValueTextEquals(ResultTypes.Complete);
                }

                hasTtl |= reader.ValueTextEquals("ttlMs"u8);
                hasScope |= reader.ValueTextEquals("cacheScope"u8);
                CopyProperty(writer, ref reader, json);
            }

            if (!hasType)
            {
                writer.WriteString("resultType"u8, ResultTypes.Complete);
            }

            if (value.TtlMs is { } ttl && complete)
            {
                // M26-CACHE-HINTS: complete results only; an input_required result is never cacheable.
                if (!hasTtl)
                {
                    writer.WriteNumber("ttlMs"u8, ttl);
                }

                if (!hasScope)
                {
                    writer.WriteString("cacheScope"u8, value.Scope == CacheScope.Public ? "public"u8 : "private"u8);
                }
            }

            if (!hasMeta && value.ServerInfo is not null)
            {
                writer.WriteStartObject("_meta"u8);
                writer.WritePropertyName(RequestEnvelope.ServerInfoKey);
                writer.WriteRawValue(value.ServerInfo, skipInputValidation: true);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        // The result's own _meta, with serverInfo added unless it names one already.
        private static void WriteMeta(Utf8JsonWriter writer, ref Utf8JsonReader reader, ReadOnlySpan<byte> json, byte[] serverInfo)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                CopyValue(writer, ref reader, json);
                return;
            }

            writer.WriteStartObject();
            bool hasServerInfo = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                hasServerInfo |= reader.ValueTextEquals(RequestEnvelope.ServerInfoKey);
                CopyProperty(writer, ref reader, json);
            }

            if (!hasServerInfo)
            {
                writer.WritePropertyName(RequestEnvelope.ServerInfoKey);
                writer.WriteRawValue(serverInfo, skipInputValidation: true);
            }

            writer.WriteEndObject();
        }

        private static void CopyProperty(Utf8JsonWriter writer, ref Utf8JsonReader reader, ReadOnlySpan<byte> json)
        {
            if (reader.ValueIsEscaped)
            {
                writer.WritePropertyName(reader.GetString()!);
            }
            else
            {
                writer.WritePropertyName(reader.ValueSpan);
            }

            reader.Read();
            CopyValue(writer, ref reader, json);
        }

        private static void CopyValue(Utf8JsonWriter writer, ref Utf8JsonReader reader, ReadOnlySpan<byte> json)
        {
            int start = (int)reader.TokenStartIndex;
            reader.Skip();
            writer.WriteRawValue(json[start..(int)reader.BytesConsumed], skipInputValidation: true);
        }
    }
}

using System.Text.Json;
using McpSharp.JsonRpc;

namespace McpSharp.Protocol;

/// <summary>
/// The per-request protocol fields of revision 2026-07-28 in <c>params._meta</c> (M26-META-*): reading and checking
/// them. A message whose <c>_meta</c> carries <see cref="ProtocolVersionKey"/> claims the per-request era, whatever
/// the version it names (the era is decided from the body; a header only cross-checks it).
/// </summary>
public static class RequestEnvelope
{
    /// <summary>The protocol version of the request (required).</summary>
    public const string ProtocolVersionKey = "io.modelcontextprotocol/protocolVersion";

    /// <summary>The client's capabilities for the request (required; <c>{}</c> for none).</summary>
    public const string ClientCapabilitiesKey = "io.modelcontextprotocol/clientCapabilities";

    /// <summary>Who the client is (optional; self-reported).</summary>
    public const string ClientInfoKey = "io.modelcontextprotocol/clientInfo";

    /// <summary>The lowest log level wanted for the request (optional; none means no log messages).</summary>
    public const string LogLevelKey = "io.modelcontextprotocol/logLevel";

    /// <summary>In a result's <c>_meta</c>: who the server is.</summary>
    public const string ServerInfoKey = "io.modelcontextprotocol/serverInfo";

    /// <summary>On a <c>subscriptions/listen</c> stream: the listen request's id.</summary>
    public const string SubscriptionIdKey = "io.modelcontextprotocol/subscriptionId";

    /// <summary>
    /// True when the message's <c>_meta</c> carries <see cref="ProtocolVersionKey"/>; <paramref name="version"/> is its
    /// value when it is a string.
    /// </summary>
    public static bool TryGetClaim(JsonRpcMessage message, out string? version)
    {
        version = null;
        var meta = MetaOf(message);
        if (meta.IsEmpty)
        {
            return false;
        }

        var reader = new Utf8JsonReader(meta.Span);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool isVersion = reader.ValueTextEquals(ProtocolVersionKey);
            reader.Read();
            if (isVersion)
            {
                version = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                return true;
            }

            reader.Skip();
        }

        return false;
    }

    /// <summary>
    /// The <see cref="SubscriptionIdKey"/> of a notification or result <c>_meta</c>: the id of the
    /// <c>subscriptions/listen</c> request whose stream carried it (M26-SUB-TAGGED).
    /// </summary>
    public static bool TryGetSubscriptionId(ReadOnlySpan<byte> meta, out RequestId id)
    {
        id = default;
        if (meta.IsEmpty)
        {
            return false;
        }

        var reader = new Utf8JsonReader(meta);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool isId = reader.ValueTextEquals(SubscriptionIdKey);
            reader.Read();
            if (isId)
            {
                return RequestId.TryRead(ref reader, out id);
            }

            reader.Skip();
        }

        return false;
    }

    /// <summary>
    /// Reads the request's client context from its <c>_meta</c>, or returns null with the -32602 error for a missing
    /// or malformed field (M26-META-PROTOCOLVERSION, M26-META-CLIENTCAPS, M26-META-LOGLEVEL). Whether the version is
    /// one the server serves is for the caller to decide (-32022).
    /// </summary>
    public static McpClientContext? Read(JsonRpcMessage message, out JsonRpcError? error)
    {
        ArgumentNullException.ThrowIfNull(message);
        var meta = MetaOf(message);
        if (meta.IsEmpty)
        {
            error = Invalid("params._meta is required: it carries the request's protocol version and client capabilities.");
            return null;
        }

        string? version = null, traceParent = null, traceState = null, baggage = null;
        ClientCapabilities? capabilities = null;
        Implementation? clientInfo = null;
        LoggingLevel? logLevel = null;
        bool sawVersion = false;
        try
        {
            var reader = new Utf8JsonReader(meta.Span);
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals(ProtocolVersionKey))
                {
                    reader.Read();
                    sawVersion = true;
                    version = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    reader.Skip();
                }
                else if (reader.ValueTextEquals(ClientCapabilitiesKey))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        error = Invalid($"_meta['{ClientCapabilitiesKey}'] must be an object.");
                        return null;
                    }

                    capabilities = JsonSerializer.Deserialize(ref reader, McpJsonContext.Default.ClientCapabilities);
                }
                else if (reader.ValueTextEquals(ClientInfoKey))
                {
                    reader.Read();
                    clientInfo = reader.TokenType == JsonTokenType.Null ? null : JsonSerializer.Deserialize(ref reader, McpJsonContext.Default.Implementation);
                }
                else if (reader.ValueTextEquals(LogLevelKey))
                {
                    reader.Read();
                    logLevel = JsonSerializer.Deserialize(ref reader, McpJsonContext.Default.LoggingLevel);
                }
                else if (reader.ValueTextEquals("traceparent"u8))
                {
                    traceParent = ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("tracestate"u8))
                {
                    traceState = ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("baggage"u8))
                {
                    baggage = ReadString(ref reader);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (JsonException ex)
        {
            error = Invalid("a per-request _meta field is malformed: " + ex.Message);
            return null;
        }

        if (!sawVersion || string.IsNullOrEmpty(version))
        {
            error = Invalid($"_meta['{ProtocolVersionKey}'] is required and must be a string.");
            return null;
        }

        if (capabilities is null)
        {
            error = Invalid($"_meta['{ClientCapabilitiesKey}'] is required (an object; {{}} declares none).");
            return null;
        }

        error = null;
        return new McpClientContext
        {
            ProtocolVersion = ProtocolVersions.IsPerRequest(version) ? ProtocolVersions.V20260728 : version,
            Capabilities = capabilities,
            ClientInfo = clientInfo,
            LogLevel = logLevel,
            IsPerRequest = true,
            TraceParent = traceParent,
            TraceState = traceState,
            Baggage = baggage,
        };
    }

    private static ReadOnlyMemory<byte> MetaOf(JsonRpcMessage message) => message switch
    {
        JsonRpcRequest request => request.Meta,
        JsonRpcNotification notification => notification.Meta,
        _ => default,
    };

    private static string? ReadString(ref Utf8JsonReader reader)
    {
        reader.Read();
        string? value = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        reader.Skip();
        return value;
    }

    private static JsonRpcError Invalid(string detail) => new(McpErrorCodes.InvalidParams, "Invalid params: " + detail);
}

using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using McpSharp.Protocol;

namespace McpSharp.JsonRpc;

/// <summary>
/// Reads one JSON-RPC 2.0 message from UTF-8 JSON and validates its shape. Invalid JSON gives -32700; valid JSON that is
/// not a JSON-RPC message (wrong <c>jsonrpc</c>, <c>id: null</c>, a float or boolean id, no method, both or neither of
/// result and error) gives -32600. <c>params</c> and <c>result</c> are not deserialized here: they stay as slices of the
/// input, which must therefore stay unchanged while the message is in use.
/// </summary>
public static partial class JsonRpcMessageParser
{
    private static readonly string[] KnownMethods =
    [
        McpMethods.Initialize, McpMethods.Ping, McpMethods.ToolsList, McpMethods.ToolsCall, McpMethods.ResourcesList,
        McpMethods.ResourcesRead, McpMethods.ResourcesTemplatesList, McpMethods.ResourcesSubscribe,
        McpMethods.ResourcesUnsubscribe, McpMethods.PromptsList, McpMethods.PromptsGet, McpMethods.CompletionComplete,
        McpMethods.LoggingSetLevel, McpMethods.SamplingCreateMessage, McpMethods.ElicitationCreate, McpMethods.RootsList,
        McpMethods.NotificationsInitialized, McpMethods.NotificationsCancelled, McpMethods.NotificationsProgress,
        McpMethods.NotificationsMessage, McpMethods.NotificationsResourcesUpdated,
        McpMethods.NotificationsResourcesListChanged, McpMethods.NotificationsToolsListChanged,
        McpMethods.NotificationsPromptsListChanged, McpMethods.NotificationsRootsListChanged,
        McpMethods.NotificationsElicitationComplete,
    ];

    /// <summary>
    /// Parses one message. On failure returns false with the error to answer and, when it could be read, the id of the
    /// offending request (so the error response can carry it).
    /// </summary>
    public static bool TryParse(
        ReadOnlyMemory<byte> utf8Json,
        [NotNullWhen(true)] out JsonRpcMessage? message,
        [NotNullWhen(false)] out JsonRpcError? error,
        out RequestId? errorId) =>
        TryParse(utf8Json, out message, out error, out errorId, out _);

    /// <summary>
    /// Parses one message. On failure, <paramref name="answerable"/> says whether the input may be answered with an
    /// error response: true for invalid JSON and for request-like input; false for a malformed response, which must not
    /// be answered (the peer would match the error to a request of its own, and two peers could bounce errors forever).
    /// </summary>
    public static bool TryParse(
        ReadOnlyMemory<byte> utf8Json,
        [NotNullWhen(true)] out JsonRpcMessage? message,
        [NotNullWhen(false)] out JsonRpcError? error,
        out RequestId? errorId,
        out bool answerable)
    {
        message = null;
        errorId = null;
        answerable = true;
        try
        {
            return TryParseCore(utf8Json, out message, out error, ref errorId, ref answerable);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: invalid UTF-8 or a lone surrogate inside a string (Utf8JsonReader.GetString).
            error = new JsonRpcError(McpErrorCodes.ParseError, "Parse error: Invalid JSON");
            errorId = null;
            answerable = true;
            return false;
        }
    }

    private static bool TryParseCore(
        ReadOnlyMemory<byte> utf8Json,
        out JsonRpcMessage? message,
        [NotNullWhen(false)] out JsonRpcError? error,
        ref RequestId? errorId,
        ref bool answerable)
    {
        message = null;
        if (!System.Text.Unicode.Utf8.IsValid(utf8Json.Span))
        {
            // BASE-UTF8: Utf8JsonReader does not validate the bytes inside strings; invalid UTF-8 is not JSON text.
            throw new JsonException("Invalid UTF-8.");
        }

        var reader = new Utf8JsonReader(utf8Json.Span, isFinalBlock: true, state: default);
        if (!reader.Read())
        {
            throw new JsonException("Empty input.");
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            SkipToEnd(ref reader);
            error = InvalidRequest("A JSON-RPC message must be a JSON object.");
            return false;
        }

        bool versionOk = false, sawVersion = false, hasId = false, idInvalid = false, idNull = false, hasResult = false, hasError = false;
        RequestId id = default;
        string? method = null;
        bool methodInvalid = false;
        ReadOnlyMemory<byte> parameters = default, result = default, meta = default;
        ProgressToken? progressToken = null;
        JsonRpcError? remoteError = null;

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("jsonrpc"u8))
            {
                reader.Read();
                sawVersion = true;
                versionOk = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("2.0"u8);
                reader.Skip();
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                hasId = true;
                idNull = reader.TokenType == JsonTokenType.Null;
                idInvalid = !RequestId.TryRead(ref reader, out id);
                reader.Skip();
            }
            else if (reader.ValueTextEquals("method"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    method = ReadMethod(ref reader);
                }
                else
                {
                    methodInvalid = true;
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("params"u8))
            {
                reader.Read();
                int start = (int)reader.TokenStartIndex;
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    progressToken = ReadParamsObject(ref reader, utf8Json, out meta);
                }
                else
                {
                    reader.Skip();
                }

                parameters = reader.TokenType == JsonTokenType.Null ? default : utf8Json[start..(int)reader.BytesConsumed];
            }
            else if (reader.ValueTextEquals("result"u8))
            {
                reader.Read();
                hasResult = true;
                int start = (int)reader.TokenStartIndex;
                reader.Skip();
                result = utf8Json[start..(int)reader.BytesConsumed];
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                hasError = true;
                remoteError = ReadError(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (reader.Read())
        {
            throw new JsonException("Trailing content after the message.");
        }

        if (hasId && !idInvalid)
        {
            errorId = id;
        }

        // Only request-like input is answered; a malformed response is reported to the caller and dropped.
        answerable = method is not null || methodInvalid;
        if (hasError && !hasResult && idNull && method is null && !methodInvalid && sawVersion && versionOk)
        {
            // JSON-RPC: an error response has id null when the request's id could not be read (BASE-ERR-ID).
            if (remoteError is null)
            {
                error = InvalidRequest("The error member must be an object with an integer code and a string message.");
                return false;
            }

            message = new JsonRpcErrorResponse(null, remoteError);
            error = null;
            return true;
        }

        if (!sawVersion || !versionOk)
        {
            error = InvalidRequest("The jsonrpc member must be \"2.0\".");
            return false;
        }

        if (idInvalid)
        {
            error = InvalidRequest("The id must be a string or an integer, not null.");
            return false;
        }

        if (method is not null || methodInvalid)
        {
            if (methodInvalid || hasResult || hasError)
            {
                error = InvalidRequest("A request must have a string method and no result or error.");
                return false;
            }

            message = hasId
                ? new JsonRpcRequest(id, method!, JsonPayload.FromRaw(parameters)) { ProgressToken = progressToken, Meta = meta }
                : new JsonRpcNotification(method!, JsonPayload.FromRaw(parameters)) { Meta = meta };
            error = null;
            return true;
        }

        if (hasResult == hasError)
        {
            error = InvalidRequest("A message must have a method, a result or an error.");
            return false;
        }

        if (hasResult)
        {
            if (!hasId)
            {
                error = InvalidRequest("A response must carry the request's id.");
                return false;
            }

            message = new JsonRpcResponse(id, JsonPayload.FromRaw(result));
        }
        else
        {
            if (remoteError is null)
            {
                error = InvalidRequest("The error member must be an object with an integer code and a string message.");
                return false;
            }

            message = new JsonRpcErrorResponse(hasId ? id : null, remoteError);
        }

        error = null;
        return true;
    }

    private static JsonRpcError InvalidRequest(string detail) => new(McpErrorCodes.InvalidRequest, "Invalid Request: " + detail);

    private static void SkipToEnd(ref Utf8JsonReader reader)
    {
        reader.Skip();
        if (reader.Read())
        {
            throw new JsonException("Trailing content.");
        }
    }

    private static string ReadMethod(ref Utf8JsonReader reader)
    {
        foreach (string known in KnownMethods)
        {
            if (reader.ValueTextEquals(known))
            {
                return known;
            }
        }

        return reader.GetString()!;
    }

    // Walks the params object (as Skip would) and picks up _meta.progressToken, and where _meta is, on the way.
    private static ProgressToken? ReadParamsObject(ref Utf8JsonReader reader, ReadOnlyMemory<byte> utf8Json, out ReadOnlyMemory<byte> meta)
    {
        ProgressToken? token = null;
        meta = default;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool isMeta = reader.ValueTextEquals("_meta"u8);
            reader.Read();
            if (isMeta && reader.TokenType == JsonTokenType.StartObject)
            {
                int start = (int)reader.TokenStartIndex;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    bool isToken = reader.ValueTextEquals("progressToken"u8);
                    reader.Read();
                    if (isToken && RequestId.TryRead(ref reader, out RequestId value))
                    {
                        token = new ProgressToken(value);
                    }

                    reader.Skip();
                }

                meta = utf8Json[start..(int)reader.BytesConsumed];
            }
            else
            {
                reader.Skip();
            }
        }

        return token;
    }

    private static JsonRpcError? ReadError(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        int? code = null;
        string? message = null;
        JsonElement? data = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("code"u8))
            {
                reader.Read();
                code = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int c) ? c : null;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("message"u8))
            {
                reader.Read();
                message = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                reader.Read();
                data = JsonElement.ParseValue(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return code is null || message is null ? null : new JsonRpcError(code.Value, message, data);
    }
}

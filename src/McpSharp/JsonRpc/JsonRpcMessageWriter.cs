using System.Buffers;
using System.Text.Json;

namespace McpSharp.JsonRpc;

/// <summary>Writes JSON-RPC 2.0 messages as compact UTF-8 JSON (no raw newlines, so also valid stdio framing).</summary>
public static class JsonRpcMessageWriter
{
    private static readonly JsonEncodedText JsonRpc = JsonEncodedText.Encode("jsonrpc");
    private static readonly JsonEncodedText Version = JsonEncodedText.Encode("2.0");
    private static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText Method = JsonEncodedText.Encode("method");
    private static readonly JsonEncodedText Params = JsonEncodedText.Encode("params");
    private static readonly JsonEncodedText ResultName = JsonEncodedText.Encode("result");
    private static readonly JsonEncodedText ErrorName = JsonEncodedText.Encode("error");
    private static readonly JsonEncodedText Code = JsonEncodedText.Encode("code");
    private static readonly JsonEncodedText Message = JsonEncodedText.Encode("message");
    private static readonly JsonEncodedText Data = JsonEncodedText.Encode("data");

    /// <summary>Writes <paramref name="message"/> to <paramref name="writer"/>.</summary>
    public static void Write(Utf8JsonWriter writer, JsonRpcMessage message)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(message);
        if (message is JsonRpcBatch batch)
        {
            writer.WriteStartArray();
            foreach (var item in batch.Messages)
            {
                Write(writer, item);
            }

            writer.WriteEndArray();
            return;
        }

        writer.WriteStartObject();
        writer.WriteString(JsonRpc, Version);
        switch (message)
        {
            case JsonRpcRequest request:
                writer.WritePropertyName(Id);
                request.Id.WriteTo(writer);
                writer.WriteString(Method, request.Method);
                WritePayload(writer, Params, request.Params);
                break;
            case JsonRpcNotification notification:
                writer.WriteString(Method, notification.Method);
                WritePayload(writer, Params, notification.Params);
                break;
            case JsonRpcResponse response:
                writer.WritePropertyName(Id);
                response.Id.WriteTo(writer);
                writer.WritePropertyName(ResultName);
                if (response.Result.IsNone)
                {
                    // BASE-RES-RESULT: a result is an object, {} when empty.
                    writer.WriteStartObject();
                    writer.WriteEndObject();
                }
                else
                {
                    response.Result.WriteTo(writer);
                }

                break;
            case JsonRpcErrorResponse error:
                writer.WritePropertyName(Id);
                if (error.Id is { } id)
                {
                    id.WriteTo(writer);
                }
                else
                {
                    writer.WriteNullValue();
                }

                writer.WriteStartObject(ErrorName);
                writer.WriteNumber(Code, error.Error.Code);
                writer.WriteString(Message, error.Error.Message);
                if (error.Error.Data is { } data)
                {
                    writer.WritePropertyName(Data);
                    data.WriteTo(writer);
                }

                writer.WriteEndObject();
                break;
            default:
                throw new ArgumentException("Unknown message type.", nameof(message));
        }

        writer.WriteEndObject();
    }

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>Serializes <paramref name="message"/> to a new UTF-8 byte array of exactly its length.</summary>
    public static byte[] ToUtf8Bytes(JsonRpcMessage message)
    {
        // A per-thread buffer and writer: the only allocation left is the returned array.
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        var writer = t_writer ??= new Utf8JsonWriter(buffer, JsonWriting.Messages);
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        Write(writer, message);
        writer.Flush();
        byte[] bytes = buffer.WrittenSpan.ToArray();
        if (buffer.Capacity > 64 * 1024)
        {
            // Do not keep a large message's buffer alive on the thread.
            t_buffer = null;
            t_writer = null;
        }

        return bytes;
    }

    private static void WritePayload(Utf8JsonWriter writer, JsonEncodedText name, JsonPayload payload)
    {
        if (payload.IsNone)
        {
            return;
        }

        writer.WritePropertyName(name);
        payload.WriteTo(writer);
    }
}

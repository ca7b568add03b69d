using System.Buffers;
using System.Text.Json;
using McpSharp.JsonRpc;
using McpSharp.Protocol;
using McpSharp.Server;
using StackExchange.Redis;

namespace McpSharp.Redis;

/// <summary>How <see cref="RedisTaskStore"/> writes a task's values into its hash and reads the hash back (see <see cref="RedisTaskScripts"/> for the fields).</summary>
internal static class RedisTaskCodec
{
    public static McpTaskRecord Read(string taskId, RedisResult[] values)
    {
        var fields = new Dictionary<string, RedisValue>(values.Length / 2, StringComparer.Ordinal);
        var inputs = new Dictionary<string, InputRequest>(StringComparer.Ordinal);
        for (int i = 0; i + 1 < values.Length; i += 2)
        {
            string name = (string)values[i]!;
            var value = (RedisValue)values[i + 1];
            if (name.StartsWith("i:", StringComparison.Ordinal))
            {
                inputs[name[2..]] = JsonSerializer.Deserialize((byte[])value!, McpJsonContext.Default.InputRequest)!;
            }
            else
            {
                fields[name] = value;
            }
        }

        return new McpTaskRecord
        {
            TaskId = taskId,
            Owner = fields.TryGetValue("o", out var owner) ? (string?)owner : null,
            Status = (string)fields["s"]!,
            CreatedAt = Time(fields["c"]),
            LastUpdatedAt = Time(fields["u"]),
            TimeToLive = TimeSpan.FromMilliseconds((long)fields["t"]),
            PollInterval = TimeSpan.FromMilliseconds((long)fields["p"]),
            InputRequests = inputs,
            Result = fields.TryGetValue("r", out var result) ? JsonSerializer.Deserialize((byte[])result!, McpJsonContext.Default.CallToolResult) : null,
            Error = fields.TryGetValue("e", out var error) ? ReadError((byte[])error!) : null,
        };
    }

    public static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static long Ms(TimeSpan time) => (long)time.TotalMilliseconds;

    public static DateTimeOffset Time(RedisValue ms) => DateTimeOffset.FromUnixTimeMilliseconds((long)ms);

    // JsonRpcError has no JSON contract of its own (the engine writes it inside a response): {code, message, data}.
    public static string ErrorJson(JsonRpcError error)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("code", error.Code);
            writer.WriteString("message", error.Message);
            if (error.Data is { } data)
            {
                writer.WritePropertyName("data");
                data.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static JsonRpcError ReadError(byte[] json)
    {
        var error = JsonElement.Parse(json);
        return new JsonRpcError(
            error.GetProperty("code").GetInt32(),
            error.GetProperty("message").GetString()!,
            error.TryGetProperty("data", out var data) ? data : null);
    }
}

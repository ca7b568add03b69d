using System.IO.Pipelines;
using System.Net.ServerSentEvents;
using System.Text.Json.Nodes;
using CsCheck;
using McpSharp.AspNetCore.Streams;
using McpSharp.JsonRpc;

namespace McpSharp.AspNetCore.Tests;

/// <summary>
/// The SSE writer against the SSE reader .NET ships (the one McpSharp's client uses), over generated messages (CsCheck):
/// every message the server writes as an event, whatever text it carries, reads back as exactly one event with the
/// same id, retry and bytes; a stream of them reads back in order.
/// </summary>
public sealed class SsePropertyTests
{
    private static readonly Gen<string> EventId = Gen.String[Gen.Char["abcxyz0129.:-_"], 1, 24];

    // A notification whose text is anything (newlines, separators, control characters, non-BMP characters).
    private static readonly Gen<byte[]> Message = Gen.String.Select(text =>
        JsonRpcMessageWriter.ToUtf8Bytes(new JsonRpcNotification("notifications/message", JsonPayload.FromRaw(System.Text.Encoding.UTF8.GetBytes(new JsonObject { ["level"] = "info", ["data"] = text }.ToJsonString())))));

    private static async Task<List<SseItem<byte[]>>> WriteAndReadAsync(IEnumerable<(string? Id, TimeSpan? Retry, byte[] Data)> events)
    {
        var pipe = new Pipe();
        foreach (var (id, retry, data) in events)
        {
            SseFraming.WriteEvent(pipe.Writer, id, retry, data);
        }

        await pipe.Writer.CompleteAsync();
        var items = new List<SseItem<byte[]>>();
        await foreach (var item in SseParser.Create(pipe.Reader.AsStream(), static (_, data) => data.ToArray()).EnumerateAsync())
        {
            items.Add(item);
        }

        return items;
    }

    [Fact]
    public void Every_event_reads_back_exactly_with_its_id_and_retry()
    {
        Gen.Select(EventId.Null(), Gen.Int[-1, 100_000], Message).Sample((id, retryMs, data) =>
        {
            TimeSpan? retry = retryMs >= 0 ? TimeSpan.FromMilliseconds(retryMs) : null;
            var item = Assert.Single(WriteAndReadAsync([(id, retry, data)]).GetAwaiter().GetResult());
            Assert.Equal(data, item.Data);
            Assert.Equal(id, item.EventId);
            Assert.Equal(retry, item.ReconnectionInterval);
        }, iter: 3_000);
    }

    [Fact]
    public void A_stream_of_events_reads_back_in_order()
    {
        Gen.Select(EventId, Message).Array[1, 20].Sample(events =>
        {
            var items = WriteAndReadAsync(events.Select(e => ((string?)e.Item1, (TimeSpan?)null, e.Item2))).GetAwaiter().GetResult();
            Assert.Equal(events.Select(e => e.Item2), items.Select(i => i.Data));
            Assert.Equal(events.Select(e => e.Item1), items.Select(i => i.EventId));
        }, iter: 500);
    }
}

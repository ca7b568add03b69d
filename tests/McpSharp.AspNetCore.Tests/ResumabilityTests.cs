using System.Net;
using System.Net.ServerSentEvents;
using McpSharp.AspNetCore.Tests.TestSupport;
using McpSharp.Protocol;
using static McpSharp.AspNetCore.Tests.TestSupport.TestServer;

namespace McpSharp.AspNetCore.Tests;

/// <summary>Resumability and redelivery (2025-11-25): T36-T39, polling, unknown ids.</summary>
public sealed class ResumabilityTests : IAsyncLifetime
{
    private readonly TaskCompletionSource _proceed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(http => http.RetryInterval = TimeSpan.FromMilliseconds(250), server =>
    {
        // Like the conformance fixture's test_reconnection: close the connection mid-call, finish later.
        server.Tools.Add(new Tool { Name = "reconnect", InputSchema = Json("""{"type":"object"}""") }, async ctx =>
        {
            await ctx.LogAsync(LoggingLevel.Info, "before close");
            Assert.True(ctx.CloseSseConnection());
            await _proceed.Task.WaitAsync(ctx.CancellationToken);
            await ctx.LogAsync(LoggingLevel.Info, "after close");
            return CallToolResult.FromText("finished after reconnect");
        });
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task T36_T37_A_stream_closed_early_sends_retry_and_resumes_by_get_with_everything_once()
    {
        string sid = await _server.InitializeAsync();
        var first = new List<SseItem<string>>();
        using (var call = await _server.PostAsync("""{"jsonrpc":"2.0","id":11,"method":"tools/call","params":{"name":"reconnect"}}""", sid))
        {
            await foreach (var item in ReadEventsAsync(call))
            {
                first.Add(item);
            }
        }

        // Priming (id + retry + empty data), then the log sent before the close; the connection then ended.
        Assert.Equal(string.Empty, first[0].Data);
        Assert.Equal(TimeSpan.FromMilliseconds(250), first[0].ReconnectionInterval);
        Assert.Contains("before close", first[1].Data, StringComparison.Ordinal);
        string lastId = first.Last(e => e.EventId is not null).EventId!;

        _proceed.SetResult();
        using var resume = await _server.SendAsync(HttpMethod.Get, sid, configure: r => r.Headers.Add("Last-Event-ID", lastId));
        Assert.Equal(HttpStatusCode.OK, resume.StatusCode);
        var rest = new List<SseItem<string>>();
        await foreach (var item in ReadEventsAsync(resume))
        {
            rest.Add(item);
        }

        Assert.Equal(2, rest.Count);
        Assert.Contains("after close", rest[0].Data, StringComparison.Ordinal);
        var response = Json(rest[1].Data);
        Assert.Equal(11, response.GetProperty("id").GetInt32());
        Assert.Equal("finished after reconnect", response.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString());

        // T39: ids are unique within the session and each names its stream.
        var ids = first.Concat(rest).Select(e => e.EventId).Where(id => id is not null).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.StartsWith(lastId.Split(':')[0] + ":", id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Replay_covers_only_the_resumed_stream_HTTP_RESUME_NO_CROSS()
    {
        string sid = await _server.InitializeAsync();
        string? firstStreamId;
        using (var a = await _server.PostAsync(List, sid))
        {
            firstStreamId = (await FirstEventAsync(a)).EventId;
        }

        using (var b = await _server.PostAsync("""{"jsonrpc":"2.0","id":3,"method":"ping"}""", sid))
        {
            await ReadMessagesAsync(b);
        }

        using var resume = await _server.SendAsync(HttpMethod.Get, sid, configure: r => r.Headers.Add("Last-Event-ID", firstStreamId));
        var replayed = await ReadMessagesAsync(resume);
        Assert.Equal(2, replayed.Single().GetProperty("id").GetInt32());
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("999:0")]
    [InlineData("1:abc")]
    public async Task T38_An_unknown_or_malformed_last_event_id_is_400(string lastEventId)
    {
        string sid = await _server.InitializeAsync();
        using var response = await _server.SendAsync(HttpMethod.Get, sid, configure: r => r.Headers.Add("Last-Event-ID", lastEventId));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_last_event_id_of_another_session_is_400()
    {
        string a = await _server.InitializeAsync();
        string b = await _server.InitializeAsync();
        string? id;
        using (var call = await _server.PostAsync(List, a))
        {
            id = (await FirstEventAsync(call)).EventId;
        }

        // Session b never opened a stream: a's event id means nothing there, and nothing of a's leaks.
        using var response = await _server.SendAsync(HttpMethod.Get, b, configure: r => r.Headers.Add("Last-Event-ID", id));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static async Task<SseItem<string>> FirstEventAsync(HttpResponseMessage response)
    {
        await using var events = ReadEventsAsync(response).GetAsyncEnumerator();
        Assert.True(await events.MoveNextAsync());
        var first = events.Current;
        while (await events.MoveNextAsync())
        {
        }

        return first;
    }
}

using System.Net;
using System.Net.ServerSentEvents;
using System.Text.Json;
using McpSharp.AspNetCore.Tests.TestSupport;
using McpSharp.Protocol;
using McpSharp.Server;
using static McpSharp.AspNetCore.Tests.TestSupport.TestServer;

namespace McpSharp.AspNetCore.Tests;

/// <summary>SSE streams: what travels where (T35), priming (T36), takeover, server-to-client requests during a call.</summary>
public sealed class StreamTests : IAsyncLifetime
{
    private readonly TaskCompletionSource _releaseSlow = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(configure: server =>
    {
        server.Tools.Add(new Tool { Name = "progress", InputSchema = Json("""{"type":"object"}""") }, static async ctx =>
        {
            for (int i = 1; i <= 3; i++)
            {
                ctx.Progress.Report(new ProgressNotificationValue(i, 3));
                await ctx.LogAsync(LoggingLevel.Info, $"step {i}");
            }

            return CallToolResult.FromText("done");
        });
        server.Tools.Add(new Tool { Name = "ask", InputSchema = Json("""{"type":"object"}""") }, static async ctx =>
        {
            var sample = await ctx.SampleAsync(new CreateMessageRequestParams { Messages = [new SamplingMessage { Role = Role.User, Content = [new TextContentBlock("q?")] }], MaxTokens = 5 });
            var elicit = await ctx.ElicitAsync(new ElicitRequestParams { Message = "name?", RequestedSchema = Json("""{"type":"object","properties":{"name":{"type":"string"}}}""") });
            return CallToolResult.FromText($"{((TextContentBlock)sample.Content[0]).Text}/{elicit.Content!["name"].GetString()}");
        });
        server.Tools.Add(new Tool { Name = "slow", InputSchema = Json("""{"type":"object"}""") }, async ctx =>
        {
            await _releaseSlow.Task.WaitAsync(ctx.CancellationToken);
            return CallToolResult.FromText("slow done");
        });
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static string Call(int id, string tool, string meta = "") =>
        $$$"""{"jsonrpc":"2.0","id":{{{id}}},"method":"tools/call","params":{"name":"{{{tool}}}"{{{meta}}}}}""";

    [Fact]
    public async Task T36_A_request_stream_opens_with_a_priming_event_with_id_retry_and_empty_data()
    {
        string sid = await _server.InitializeAsync();
        using var response = await _server.PostAsync(List, sid);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-cache", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        var events = new List<SseItem<string>>();
        await foreach (var item in ReadEventsAsync(response))
        {
            events.Add(item);
        }

        Assert.Equal(2, events.Count);
        Assert.Equal(string.Empty, events[0].Data);
        Assert.False(string.IsNullOrEmpty(events[0].EventId));
        Assert.NotNull(events[0].ReconnectionInterval);
        Assert.Equal(2, Json(events[1].Data).GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task Progress_and_logs_of_a_call_travel_on_its_stream_before_the_response()
    {
        string sid = await _server.InitializeAsync();
        using var response = await _server.PostAsync(Call(5, "progress", ""","_meta":{"progressToken":"pt"}"""), sid);
        var messages = await ReadMessagesAsync(response);
        var methods = messages.Select(m => m.TryGetProperty("method", out var method) ? method.GetString() : "response").ToList();
        Assert.Equal(["notifications/progress", "notifications/message", "notifications/progress", "notifications/message", "notifications/progress", "notifications/message", "response"], methods);
        Assert.Equal("done", messages[^1].GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task T35_The_get_stream_carries_unrelated_messages_and_never_responses()
    {
        string sid = await _server.InitializeAsync();
        using var get = await _server.SendAsync(HttpMethod.Get, sid);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        var events = ReadMessageEventsAsync(get).GetAsyncEnumerator();

        using (var call = await _server.PostAsync(Call(6, "echo"), sid))
        {
            Assert.Equal(6, (await ReadMessagesAsync(call)).Single().GetProperty("id").GetInt32());
        }

        // Something unrelated to any request: a registry change.
        _server.Server.Tools.Add(new Tool { Name = "late", InputSchema = Json("""{"type":"object"}""") }, static _ => default);
        Assert.True(await events.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
        var first = Json(events.Current.Data);
        Assert.Equal("notifications/tools/list_changed", first.GetProperty("method").GetString());
        Assert.False(first.TryGetProperty("id", out _));
        await events.DisposeAsync();
    }

    [Fact]
    public async Task A_new_get_takes_over_from_an_earlier_one()
    {
        string sid = await _server.InitializeAsync();
        using var first = await _server.SendAsync(HttpMethod.Get, sid);
        var firstEvents = ReadMessageEventsAsync(first).GetAsyncEnumerator();
        var firstNext = firstEvents.MoveNextAsync().AsTask();

        using var second = await _server.SendAsync(HttpMethod.Get, sid);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.False(await firstNext.WaitAsync(TimeSpan.FromSeconds(30)));

        var secondEvents = ReadMessageEventsAsync(second).GetAsyncEnumerator();
        _server.Server.Tools.Add(new Tool { Name = "late2", InputSchema = Json("""{"type":"object"}""") }, static _ => default);
        Assert.True(await secondEvents.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("notifications/tools/list_changed", Json(secondEvents.Current.Data).GetProperty("method").GetString());
        await firstEvents.DisposeAsync();
        await secondEvents.DisposeAsync();
    }

    [Fact]
    public async Task Sampling_and_elicitation_requests_travel_on_the_calls_stream_and_answers_posted_back_get_202()
    {
        string sid = await _server.InitializeAsync();
        using var call = await _server.PostAsync(Call(7, "ask"), sid);
        await using var events = ReadEventsAsync(call).GetAsyncEnumerator();
        JsonElement result = default;
        while (await events.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30)))
        {
            if (events.Current.Data.Length == 0)
            {
                continue;
            }

            var message = Json(events.Current.Data);
            string? method = message.TryGetProperty("method", out var m) ? m.GetString() : null;
            string answer = method switch
            {
                "sampling/createMessage" => """{"role":"assistant","content":{"type":"text","text":"four"},"model":"m"}""",
                "elicitation/create" => """{"action":"accept","content":{"name":"Ada"}}""",
                _ => string.Empty,
            };
            if (answer.Length > 0)
            {
                using var reply = await _server.PostAsync($$"""{"jsonrpc":"2.0","id":{{message.GetProperty("id").GetRawText()}},"result":{{answer}}}""", sid);
                Assert.Equal(HttpStatusCode.Accepted, reply.StatusCode);
                continue;
            }

            result = message;
            break;
        }

        Assert.Equal(7, result.GetProperty("id").GetInt32());
        Assert.Equal("four/Ada", result.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_client_disconnect_does_not_cancel_the_request_SSE_DISCONNECT_NOT_CANCEL()
    {
        string sid = await _server.InitializeAsync();
        string? primingId;
        using (var call = await _server.PostAsync(Call(8, "slow"), sid))
        {
            await using var events = ReadEventsAsync(call).GetAsyncEnumerator();
            Assert.True(await events.MoveNextAsync());
            primingId = events.Current.EventId;
        }

        // The connection is gone; the tool still finishes, and its response waits for a resume.
        _releaseSlow.SetResult();
        using var resume = await _server.SendAsync(HttpMethod.Get, sid, configure: r => r.Headers.Add("Last-Event-ID", primingId));
        Assert.Equal(HttpStatusCode.OK, resume.StatusCode);
        var messages = await ReadMessagesAsync(resume);
        Assert.Equal("slow done", messages.Single().GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString());
    }
}

using System.Net;
using System.Text.Json;
using McpSharp.AspNetCore.Tests.TestSupport;
using McpSharp.Client;
using McpSharp.Protocol;
using McpSharp.Server;
using McpSharp.Transports.Http;
using Microsoft.Extensions.DependencyInjection;
using static McpSharp.AspNetCore.Tests.TestSupport.TaskRequests;
using static McpSharp.AspNetCore.Tests.TestSupport.TestServer;

namespace McpSharp.AspNetCore.Tests;

/// <summary>
/// Tasks (M26-TASKS-EXT) on two nodes that share a task store, as the nodes of a cluster do: a task started on node A
/// is read, given its input and cancelled through node B, while its handler runs on A, and a client that started it
/// on A comes back to it through B, and a listen stream on B gets each change of it; it belongs to its user on every
/// node. Run once per backend: an in-memory store shared within this process here, Redis in McpSharp.Redis.Tests
/// (which adds what only a store outside the nodes can do: a task that outlives its node, or fails with it).
/// </summary>
public abstract class ClusterTaskTests : IAsyncLifetime
{
    private readonly TaskCompletionSource<string> _cancelledOn = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected TestServer A { get; private set; } = null!;

    protected TestServer B { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        A = await StartNodeAsync("A");
        B = await StartNodeAsync("B");
    }

    public virtual async Task DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
    }

    /// <summary>Puts a node on the task store the test's nodes share.</summary>
    protected abstract void UseBackend(IMcpServerBuilder builder);

    /// <summary>The node whose handler saw its cancellation token fire.</summary>
    protected Task<string> CancelledOn => _cancelledOn.Task;

    private Task<TestServer> StartNodeAsync(string node) => TestServer.StartAsync(
        authentication: true,
        configure: server =>
        {
            // Each node says who ran the handler.
            server.Tools.Add(TaskTool("ask"), async ctx =>
            {
                await ctx.StartTaskAsync();
                var answer = await ctx.ElicitAsync("v", new ElicitRequestParams { Message = "Value?", RequestedSchema = Json("""{"type":"object","properties":{"v":{"type":"string"}}}""") });
                return CallToolResult.FromText($"{node}:{answer.Content!["v"].GetString()}");
            });
            server.Tools.Add(TaskTool("wait"), async ctx =>
            {
                await ctx.StartTaskAsync();
                try
                {
                    await Task.Delay(Timeout.Infinite, ctx.CancellationToken);
                }
                catch (OperationCanceledException)
                {
                    _cancelledOn.TrySetResult(node);
                    throw;
                }

                return CallToolResult.FromText("never");
            });
        },
        mcp: UseBackend);

    private static Tool TaskTool(string name) =>
        new() { Name = name, InputSchema = Json("""{"type":"object"}"""), Execution = new ToolExecution { TaskSupport = McpTasks.SupportOptional } };

    protected static async Task<string> StartAsync(TestServer node, string tool) =>
        (await CallAsync(node, tool)).GetProperty("taskId").GetString()!;

    protected static Task AnswerAsync(TestServer node, string taskId, string value) =>
        SendAsync(node, null, "tasks/update", $"\"taskId\":\"{taskId}\",\"inputResponses\":{{\"v\":{{\"action\":\"accept\",\"content\":{{\"v\":\"{value}\"}}}}}}", taskId);

    protected static string Text(JsonElement task) => task.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString()!;

    [Fact]
    public async Task A_task_started_on_one_node_is_answered_through_the_other_and_its_handler_goes_on_where_it_runs()
    {
        string id = await StartAsync(A, "ask");

        // Node B sees what the handler on A waits for, and passes the answer on to it.
        var waiting = await WaitForAsync(B, id, McpTaskStatus.InputRequired);
        Assert.Equal("Value?", waiting.GetProperty("inputRequests").GetProperty("v").GetProperty("params").GetProperty("message").GetString());
        await AnswerAsync(B, id, "x");

        Assert.Equal("A:x", Text(await WaitForAsync(B, id, McpTaskStatus.Completed)));
        Assert.Equal("A:x", Text(await GetAsync(A, id)));
    }

    [Fact]
    public async Task A_task_cancelled_through_the_other_node_stops_its_handler_and_ends_cancelled_everywhere()
    {
        string id = await StartAsync(A, "wait");

        var (status, message) = await SendAsync(B, null, "tasks/cancel", $"\"taskId\":\"{id}\"", id);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(message.TryGetProperty("result", out _));
        Assert.Equal("A", await CancelledOn.WaitAsync(TimeSpan.FromSeconds(30)));
        await WaitForAsync(B, id, McpTaskStatus.Cancelled);
        Assert.Equal(McpTaskStatus.Cancelled, (await GetAsync(A, id)).GetProperty("status").GetString());
    }

    private static Task<McpClient> ConnectAsync(TestServer node, string answer) => McpClient.ConnectAsync(
        new StreamableHttpClientTransport(new HttpClientTransportOptions { Endpoint = node.Endpoint }),
        new McpClientOptions
        {
            ProtocolMode = ProtocolMode.Modern,
            ElicitationHandler = (_, _) => ValueTask.FromResult(new ElicitResult { Action = "accept", Content = new() { ["v"] = Json($"\"{answer}\"") } }),
        });

    [Fact]
    public async Task A_client_that_started_a_task_on_one_node_comes_back_to_it_through_the_other()
    {
        string id;
        await using (var onA = await ConnectAsync(A, "unused"))
        {
            id = (await onA.Tasks.StartToolCallAsync("ask")).Handle!.TaskId;
        }

        await using var onB = await ConnectAsync(B, "y");
        var result = await onB.Tasks.Attach(id).WaitAsync();

        Assert.Equal("A:y", Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text);
    }

    // The next notification of a listen stream (skipping priming events), within 30 s.
    private static async Task<JsonElement> NextAsync(IAsyncEnumerator<System.Net.ServerSentEvents.SseItem<string>> events)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await events.MoveNextAsync().AsTask().WaitAsync(timeout.Token))
        {
            if (events.Current.Data.Length > 0)
            {
                return Json(events.Current.Data);
            }
        }

        throw new InvalidOperationException("The listen stream ended.");
    }

    [Fact]
    public async Task A_listen_stream_on_the_other_node_gets_each_change_of_the_task_up_to_its_result()
    {
        string id = await StartAsync(A, "ask");
        using var listen = await B.PostAsync(Body("subscriptions/listen", $"\"notifications\":{{\"taskIds\":[\"{id}\",\"no-such-task\"]}}"), protocolVersion: "2026-07-28",
            configure: r => r.Headers.TryAddWithoutValidation("Mcp-Method", "subscriptions/listen"));
        Assert.Equal(HttpStatusCode.OK, listen.StatusCode);
        await using var events = ReadEventsAsync(listen).GetAsyncEnumerator();

        // The acknowledgement names only the task that exists; then the task's state, then each change, each tagged.
        var ack = (await NextAsync(events)).GetProperty("params");
        Assert.Equal($"[\"{id}\"]", ack.GetProperty("notifications").GetProperty("taskIds").GetRawText());
        JsonElement state;
        do
        {
            var notification = await NextAsync(events);
            Assert.Equal("notifications/tasks", notification.GetProperty("method").GetString());
            state = notification.GetProperty("params");
            Assert.Equal(id, state.GetProperty("taskId").GetString());
            Assert.Equal(7, state.GetProperty("_meta").GetProperty("io.modelcontextprotocol/subscriptionId").GetInt32());
        }
        while (state.GetProperty("status").GetString() != McpTaskStatus.InputRequired);

        Assert.Equal("Value?", state.GetProperty("inputRequests").GetProperty("v").GetProperty("params").GetProperty("message").GetString());
        await AnswerAsync(A, id, "z");

        do
        {
            state = (await NextAsync(events)).GetProperty("params");
        }
        while (!McpTaskStatus.IsTerminal(state.GetProperty("status").GetString()!));

        Assert.Equal(McpTaskStatus.Completed, state.GetProperty("status").GetString());
        Assert.Equal("A:z", Text(state));
        Assert.False(state.TryGetProperty("resultType", out _));
    }

    [Fact]
    public async Task A_task_belongs_to_its_user_on_every_node()
    {
        var (_, call) = await SendAsync(A, "alice", "tools/call", "\"name\":\"wait\",\"arguments\":{}", "wait");
        string id = call.GetProperty("result").GetProperty("taskId").GetString()!;

        var (ownStatus, own) = await SendAsync(B, "alice", "tasks/get", $"\"taskId\":\"{id}\"", id);
        Assert.Equal(HttpStatusCode.OK, ownStatus);
        Assert.Equal(McpTaskStatus.Working, own.GetProperty("result").GetProperty("status").GetString());
        foreach (string? stranger in new[] { "bob", null })
        {
            foreach (string method in new[] { "tasks/get", "tasks/cancel" })
            {
                var (_, refused) = await SendAsync(B, stranger, method, $"\"taskId\":\"{id}\"", id);
                Assert.Equal(-32602, refused.GetProperty("error").GetProperty("code").GetInt32());
            }
        }

        // Nor does a listen stream of another user's hear of it: the acknowledgement leaves it out.
        using var listen = await B.PostAsync(Body("subscriptions/listen", $"\"notifications\":{{\"taskIds\":[\"{id}\"]}}"), protocolVersion: "2026-07-28", configure: r =>
        {
            r.Headers.TryAddWithoutValidation("Mcp-Method", "subscriptions/listen");
            AddUser(r, "bob");
        });
        await using var events = ReadEventsAsync(listen).GetAsyncEnumerator();
        Assert.False((await NextAsync(events)).GetProperty("params").GetProperty("notifications").TryGetProperty("taskIds", out _));
        Assert.False(CancelledOn.IsCompleted);
    }
}

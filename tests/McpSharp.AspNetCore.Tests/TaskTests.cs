using System.Net;
using System.Text.Json;
using McpSharp.AspNetCore.Tests.TestSupport;
using McpSharp.Client;
using McpSharp.Transports.Http;
using McpSharp.Protocol;
using McpSharp.Server;
using McpSharp.Tests.TestSupport;
using static McpSharp.AspNetCore.Tests.TestSupport.TestServer;

namespace McpSharp.AspNetCore.Tests;

/// <summary>
/// The tasks extension (io.modelcontextprotocol/tasks, SEP-2663; M26-TASKS-EXT) over Streamable HTTP on a real
/// Kestrel, in 2026-07-28: a tool call that becomes a task, polled, given input mid-flight, cancelled, expired; the
/// -32021 gate for clients without the extension; the Mcp-Name header of tasks requests.
/// </summary>
public sealed class TaskTests : IAsyncLifetime
{
    private const string WithTasks = TaskRequests.WithTasks;
    private readonly TestClock _clock = new();
    private readonly InMemoryTaskStore _store;
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<bool> _cancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TestServer _server = null!;
    private int _polls;

    public TaskTests() => _store = new InMemoryTaskStore(timeProvider: _clock);

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(time: _clock, pipeline: CountPolls, configure: server =>
    {
        // What the server suggests to pollers; McpClient follows it (on the real clock).
        server.Options.Tasks.PollInterval = TimeSpan.FromMilliseconds(50);
        server.Options.Tasks.Store = _store;
        server.Tools.Add(TaskTool("gated", McpTasks.SupportOptional), async ctx =>
        {
            bool task = await ctx.StartTaskAsync();
            try
            {
                await _release.Task.WaitAsync(ctx.CancellationToken);
            }
            catch (OperationCanceledException)
            {
                _cancelled.TrySetResult(true);
                throw;
            }

            return CallToolResult.FromText(task ? "done as a task" : "done at once");
        });
        server.Tools.Add(TaskTool("two_questions", McpTasks.SupportOptional), static async ctx =>
        {
            await ctx.StartTaskAsync();
            var first = ctx.ElicitAsync("first", Ask("First?")).AsTask();
            var second = ctx.ElicitAsync("second", Ask("Second?")).AsTask();
            await Task.WhenAll(first, second);
            return CallToolResult.FromText($"{(await first).Content!["v"]}+{(await second).Content!["v"]}");
        });
        server.Tools.Add(TaskTool("only_as_task", McpTasks.SupportRequired), static async ctx =>
        {
            await ctx.StartTaskAsync();
            throw new McpProtocolException(McpErrorCodes.InvalidParams, "Invalid params: no such file.");
        });
    });

    public async Task DisposeAsync()
    {
        _release.TrySetResult();
        await _server.DisposeAsync();
    }

    // Counts tasks/get requests: a client that polls has the task's handle.
    private void CountPolls(Microsoft.AspNetCore.Builder.WebApplication app) =>
        Microsoft.AspNetCore.Builder.UseExtensions.Use(app, async (Microsoft.AspNetCore.Http.HttpContext context, Microsoft.AspNetCore.Http.RequestDelegate next) =>
        {
            if (context.Request.Headers["Mcp-Method"] == "tasks/get")
            {
                Interlocked.Increment(ref _polls);
            }

            await next(context);
        });

    private static Tool TaskTool(string name, string support) =>
        new() { Name = name, InputSchema = Json("""{"type":"object"}"""), Execution = new ToolExecution { TaskSupport = support } };

    private static ElicitRequestParams Ask(string message) => new() { Message = message, RequestedSchema = Json("""{"type":"object","properties":{"v":{"type":"string"}}}""") };

    private Task<(HttpStatusCode Status, JsonElement Message)> SendAsync(string method, string members, string? name, string capabilities = WithTasks) =>
        TaskRequests.SendAsync(_server, null, method, members, name, capabilities);

    private static Task<(HttpStatusCode Status, JsonElement Message)> SendAsync(TestServer server, string? user, string method, string members, string? name, string capabilities = WithTasks) =>
        TaskRequests.SendAsync(server, user, method, members, name, capabilities);

    private async Task<JsonElement> CallAsync(string tool, string capabilities = WithTasks)
    {
        var (status, message) = await SendAsync("tools/call", $"\"name\":\"{tool}\",\"arguments\":{{}}", tool, capabilities);
        Assert.Equal(HttpStatusCode.OK, status);
        return message;
    }

    private Task<JsonElement> GetAsync(string taskId) => TaskRequests.GetAsync(_server, taskId);

    private Task<JsonElement> WaitForAsync(string taskId, string status) => TaskRequests.WaitForAsync(_server, taskId, status);

    [Fact]
    public async Task A_call_that_starts_a_task_answers_with_the_handle_and_tasks_get_follows_it_to_its_result()
    {
        var handle = (await CallAsync("gated")).GetProperty("result");

        Assert.Equal("task", handle.GetProperty("resultType").GetString());
        Assert.Equal("working", handle.GetProperty("status").GetString());
        string id = handle.GetProperty("taskId").GetString()!;
        Assert.True(id.Length >= 20, id);
        Assert.Equal(3_600_000, handle.GetProperty("ttlMs").GetInt64());
        Assert.Equal(50, handle.GetProperty("pollIntervalMs").GetInt64());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$", handle.GetProperty("createdAt").GetString()!);
        foreach (string absent in (string[])["result", "error", "inputRequests", "requestState", "content"])
        {
            Assert.False(handle.TryGetProperty(absent, out _), absent);
        }

        var working = await GetAsync(id);
        Assert.Equal(("working", "complete"), (working.GetProperty("status").GetString(), working.GetProperty("resultType").GetString()));
        Assert.False(working.TryGetProperty("result", out _));

        _release.SetResult();
        var done = await WaitForAsync(id, "completed");
        Assert.Equal("done as a task", done.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task Input_asked_for_inside_a_task_is_answered_by_tasks_update_one_key_at_a_time()
    {
        string id = (await CallAsync("two_questions")).GetProperty("result").GetProperty("taskId").GetString()!;
        var waiting = await WaitForAsync(id, "input_required");
        Assert.Equal(["first", "second"], waiting.GetProperty("inputRequests").EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("elicitation/create", waiting.GetProperty("inputRequests").GetProperty("first").GetProperty("method").GetString());

        var (status, ack) = await SendAsync("tasks/update", $"\"taskId\":\"{id}\",\"inputResponses\":{{\"first\":{{\"action\":\"accept\",\"content\":{{\"v\":\"a\"}}}},\"nobody-asked\":{{}}}}", id);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("complete", ack.GetProperty("result").GetProperty("resultType").GetString());
        Assert.False(ack.GetProperty("result").TryGetProperty("taskId", out _));

        // At once: only the unanswered key is left, and the task still waits.
        var left = await GetAsync(id);
        Assert.Equal("input_required", left.GetProperty("status").GetString());
        Assert.Equal(["second"], left.GetProperty("inputRequests").EnumerateObject().Select(p => p.Name));

        await SendAsync("tasks/update", $"\"taskId\":\"{id}\",\"inputResponses\":{{\"second\":{{\"action\":\"accept\",\"content\":{{\"v\":\"b\"}}}}}}", id);
        var done = await WaitForAsync(id, "completed");
        Assert.Equal("a+b", done.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task Cancelling_a_task_cancels_its_handler_and_the_task_ends_cancelled()
    {
        string id = (await CallAsync("gated")).GetProperty("result").GetProperty("taskId").GetString()!;

        var (status, ack) = await SendAsync("tasks/cancel", $"\"taskId\":\"{id}\"", id);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("complete", ack.GetProperty("result").GetProperty("resultType").GetString());
        Assert.True(await _cancelled.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        await WaitForAsync(id, "cancelled");
        // Cancelling a finished task is acknowledged the same way.
        Assert.Equal(HttpStatusCode.OK, (await SendAsync("tasks/cancel", $"\"taskId\":\"{id}\"", id)).Status);
    }

    [Fact]
    public async Task A_protocol_error_fails_the_task_with_that_error()
    {
        string id = (await CallAsync("only_as_task")).GetProperty("result").GetProperty("taskId").GetString()!;

        var failed = await WaitForAsync(id, "failed");

        Assert.Equal(-32602, failed.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal("Invalid params: no such file.", failed.GetProperty("error").GetProperty("message").GetString());
        Assert.False(failed.TryGetProperty("result", out _));
    }

    [Fact]
    public async Task Without_the_extension_an_optional_task_tool_answers_at_once_and_a_required_one_and_tasks_requests_get_32021()
    {
        _release.SetResult();
        var direct = (await CallAsync("gated", capabilities: "{}")).GetProperty("result");
        Assert.Equal(("complete", "done at once"), (direct.GetProperty("resultType").GetString(), direct.GetProperty("content")[0].GetProperty("text").GetString()));

        var refused = (await SendAsync("tools/call", "\"name\":\"only_as_task\"", "only_as_task", "{}")).Message.GetProperty("error");
        Assert.Equal(-32021, refused.GetProperty("code").GetInt32());
        Assert.True(refused.GetProperty("data").GetProperty("requiredCapabilities").GetProperty("extensions").TryGetProperty("io.modelcontextprotocol/tasks", out _));

        foreach (string method in (string[])["tasks/get", "tasks/update", "tasks/cancel"])
        {
            var (_, message) = await SendAsync(method, "\"taskId\":\"whatever\"", "whatever", "{}");
            Assert.Equal(-32021, message.GetProperty("error").GetProperty("code").GetInt32());
        }
    }

    [Fact]
    public async Task Listening_for_tasks_without_the_extension_is_32021_naming_it()
    {
        var (status, refused) = await SendAsync("subscriptions/listen", "\"notifications\":{\"taskIds\":[\"x\"]}", null, "{}");
        Assert.Equal(-32021, refused.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal("""{"extensions":{"io.modelcontextprotocol/tasks":{}}}""", refused.GetProperty("error").GetProperty("data").GetProperty("requiredCapabilities").GetRawText());
        Assert.NotEqual(HttpStatusCode.InternalServerError, status);
    }

    [Fact]
    public async Task An_unknown_task_is_32602_and_an_mcp_name_that_is_not_its_id_is_32020()
    {
        Assert.Equal(-32602, (await SendAsync("tasks/get", "\"taskId\":\"no-such-task\"", "no-such-task")).Message.GetProperty("error").GetProperty("code").GetInt32());

        string id = (await CallAsync("gated")).GetProperty("result").GetProperty("taskId").GetString()!;
        var (status, message) = await SendAsync("tasks/get", $"\"taskId\":\"{id}\"", "another-task");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(-32020, message.GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task A_task_past_its_time_to_live_is_gone_and_its_handler_cancelled()
    {
        string id = (await CallAsync("gated")).GetProperty("result").GetProperty("taskId").GetString()!;

        _clock.Advance(TimeSpan.FromHours(1));

        Assert.Equal(-32602, (await SendAsync("tasks/get", $"\"taskId\":\"{id}\"", id)).Message.GetProperty("error").GetProperty("code").GetInt32());
        Assert.True(await _cancelled.Task.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Discover_declares_the_extension_and_2025_sessions_see_no_tasks_methods()
    {
        var (_, discover) = await SendAsync("server/discover", "\"x\":1", null);
        var capabilities = discover.GetProperty("result").GetProperty("capabilities");
        Assert.True(capabilities.GetProperty("extensions").TryGetProperty("io.modelcontextprotocol/tasks", out _));
        Assert.False(capabilities.TryGetProperty("tasks", out _));

        string session = await _server.InitializeAsync();
        using var response = await _server.PostAsync("""{"jsonrpc":"2.0","id":3,"method":"tasks/get","params":{"taskId":"x"}}""", session);
        Assert.Equal(-32601, (await ReadMessagesAsync(response)).Last().GetProperty("error").GetProperty("code").GetInt32());
    }

    private Task<McpClient> ConnectAsync(McpClientOptions options)
    {
        options.ProtocolMode = ProtocolMode.Modern;
        return McpClient.ConnectAsync(new StreamableHttpClientTransport(new HttpClientTransportOptions { Endpoint = _server.Endpoint }), options);
    }

    [Fact]
    public async Task McpClient_follows_a_task_to_its_result_and_answers_its_input_through_the_elicitation_handler()
    {
        var asked = new List<string>();
        await using var client = await ConnectAsync(new McpClientOptions
        {
            ElicitationHandler = (request, _) =>
            {
                lock (asked)
                {
                    asked.Add(request.Message);
                }

                return ValueTask.FromResult(new ElicitResult { Action = "accept", Content = new() { ["v"] = Json(request.Message == "First?" ? "\"x\"" : "\"y\"") } });
            },
        });

        var result = await client.CallToolAsync("two_questions");

        Assert.Equal("x+y", Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text);
        Assert.Equal(["First?", "Second?"], asked.Order());
        Assert.Equal(1, _store.Count);
    }

    [Fact]
    public async Task McpClient_throws_a_failed_tasks_error_and_cancelling_the_call_cancels_the_task()
    {
        await using var client = await ConnectAsync(new McpClientOptions());
        var failed = await Assert.ThrowsAsync<McpProtocolException>(() => client.CallToolAsync("only_as_task"));
        Assert.Equal((-32602, "Invalid params: no such file."), (failed.ErrorCode, failed.Message));

        // Cancelled once the client follows the task (it polls): cancelling while tools/call itself is in flight leaves the
        // client without the task's id (see ToolsFeature for what the server does about that).
        using var cancel = new CancellationTokenSource();
        int polled = Volatile.Read(ref _polls);
        var call = client.CallToolAsync("gated", cancellationToken: cancel.Token);
        await Eventually.WaitUntilAsync(() => _store.Count == 2 && Volatile.Read(ref _polls) > polled, "the client to poll the gated task");
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.True(await _cancelled.Task.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    private static McpClientOptions Answering(string first, string second) => new()
    {
        ElicitationHandler = (request, _) => ValueTask.FromResult(new ElicitResult
        {
            Action = "accept",
            Content = new() { ["v"] = Json(request.Message == "First?" ? $"\"{first}\"" : $"\"{second}\"") },
        }),
    };

    [Fact]
    public async Task A_client_starts_a_task_and_leaves_and_another_client_comes_back_to_it_by_its_id()
    {
        // Elicitation is declared by the client that starts the task (the handler of the one that comes back answers).
        string id;
        await using (var first = await ConnectAsync(Answering("never", "asked")))
        {
            var start = await first.Tasks.StartToolCallAsync("two_questions");
            Assert.True(start.IsTask);
            Assert.Null(start.Result);
            id = start.Handle!.TaskId;
        }

        await using var second = await ConnectAsync(Answering("p", "q"));
        var handle = second.Tasks.Attach(id);
        await Eventually.WaitUntilAsync(async () => (await handle.GetAsync()).InputRequests?.Count == 2, "the task to ask its two questions");

        var result = await handle.WaitAsync();

        Assert.Equal("p+q", Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text);
        Assert.Equal(McpTaskStatus.Completed, (await handle.GetAsync()).Status);
    }

    [Fact]
    public async Task A_task_handle_answers_input_by_key_and_a_call_that_is_no_task_comes_back_with_its_result()
    {
        await using var client = await ConnectAsync(Answering("not", "used"));
        var handle = (await client.Tasks.StartToolCallAsync("two_questions")).Handle!;
        await Eventually.WaitUntilAsync(async () => (await handle.GetAsync()).InputRequests?.Count == 2, "the task to ask its two questions");

        await handle.UpdateAsync(new Dictionary<string, JsonElement> { ["first"] = Json("""{"action":"accept","content":{"v":"a"}}""") });
        var left = await handle.GetAsync();
        Assert.Equal(["second"], left.InputRequests!.Keys);
        await handle.UpdateAsync(new Dictionary<string, JsonElement> { ["second"] = Json("""{"action":"accept","content":{"v":"b"}}""") });

        Assert.Equal("a+b", Assert.IsType<TextContentBlock>((await handle.WaitAsync()).Content[0]).Text);

        var atOnce = await client.Tasks.StartToolCallAsync("echo", new Dictionary<string, JsonElement> { ["text"] = Json("\"hi\"") });
        Assert.False(atOnce.IsTask);
        Assert.Equal("echo:hi", Assert.IsType<TextContentBlock>(atOnce.Result!.Content[0]).Text);
    }

    [Fact]
    public async Task Giving_up_waiting_leaves_the_task_running_and_cancelling_its_handle_cancels_it()
    {
        await using var client = await ConnectAsync(new McpClientOptions());
        var handle = (await client.Tasks.StartToolCallAsync("gated")).Handle!;

        using (var giveUp = new CancellationTokenSource())
        {
            int polled = Volatile.Read(ref _polls);
            var waiting = handle.WaitAsync(giveUp.Token);
            await Eventually.WaitUntilAsync(() => Volatile.Read(ref _polls) > polled, "the handle to poll the task");
            await giveUp.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        }

        Assert.Equal(McpTaskStatus.Working, (await handle.GetAsync()).Status);
        Assert.False(_cancelled.Task.IsCompleted);

        await handle.CancelAsync();

        Assert.True(await _cancelled.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => handle.WaitAsync());
        Assert.Equal(McpTaskStatus.Cancelled, (await handle.GetAsync()).Status);
    }

    [Fact]
    public async Task A_task_handle_is_refused_in_a_2025_session_and_a_call_there_comes_back_with_its_result()
    {
        _release.SetResult();
        await using var client = await McpClient.ConnectAsync(
            new StreamableHttpClientTransport(new HttpClientTransportOptions { Endpoint = _server.Endpoint }),
            new McpClientOptions { ProtocolMode = ProtocolMode.Legacy });

        Assert.Throws<InvalidOperationException>(() => client.Tasks.Attach("some-task"));
        var start = await client.Tasks.StartToolCallAsync("gated");
        Assert.Equal("done at once", Assert.IsType<TextContentBlock>(start.Result!.Content[0]).Text);
    }

    [Fact]
    public async Task A_client_that_does_not_use_tasks_gets_the_optional_tool_at_once_and_is_refused_the_required_one()
    {
        _release.SetResult();
        await using var client = await ConnectAsync(new McpClientOptions { UseTasks = false });

        Assert.Equal("done at once", Assert.IsType<TextContentBlock>((await client.CallToolAsync("gated")).Content[0]).Text);
        Assert.Equal(-32021, (await Assert.ThrowsAsync<McpProtocolException>(() => client.CallToolAsync("only_as_task"))).ErrorCode);
        Assert.Equal(0, _store.Count);
    }

    [Fact]
    public async Task A_task_belongs_to_the_user_who_started_it_and_is_unknown_to_anyone_else()
    {
        await using var server = await TestServer.StartAsync(authentication: true, configure: server =>
            server.Tools.Add(TaskTool("mine", McpTasks.SupportOptional), static async ctx =>
            {
                await ctx.StartTaskAsync();
                return CallToolResult.FromText("ada's result");
            }));

        async Task<JsonElement> PostAsUserAsync(string? user, string method, string members, string name) =>
            (await SendAsync(server, user, method, members, name)).Message;

        string id = (await PostAsUserAsync("ada", "tools/call", "\"name\":\"mine\"", "mine")).GetProperty("result").GetProperty("taskId").GetString()!;

        foreach (string? stranger in (string?[])["bob", null])
        {
            Assert.Equal(-32602, (await PostAsUserAsync(stranger, "tasks/get", $"\"taskId\":\"{id}\"", id)).GetProperty("error").GetProperty("code").GetInt32());
            Assert.Equal(-32602, (await PostAsUserAsync(stranger, "tasks/cancel", $"\"taskId\":\"{id}\"", id)).GetProperty("error").GetProperty("code").GetInt32());
        }

        await Eventually.WaitUntilAsync(
            async () => (await PostAsUserAsync("ada", "tasks/get", $"\"taskId\":\"{id}\"", id)).GetProperty("result").GetProperty("status").GetString() == "completed",
            "ada's task to complete");
    }
}

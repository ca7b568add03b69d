using System.Text.Json;
using McpSharp.Client;
using McpSharp.Protocol;
using McpSharp.Tests.TestSupport;
using McpSharp.Transports.Stdio;

namespace McpSharp.Tests.Client;

/// <summary>McpClient over the stdio client transport, against the sample server as a real child process.</summary>
public class StdioClientTests
{
    private static StdioClientTransport StartSample(ListLoggerFactory? logs = null, params string[] extra)
    {
        var options = new StdioClientTransportOptions { Command = StdioChild.DotnetHost() };
        options.Arguments.Add(StdioChild.SamplePath());
        options.Arguments.Add("--stdio");
        foreach (string argument in extra)
        {
            options.Arguments.Add(argument);
        }

        return new StdioClientTransport(options, logs);
    }

    private static Dictionary<string, JsonElement> Args(string json) =>
        JsonSerializer.Deserialize(json, McpJsonContext.Default.DictionaryStringJsonElement)!;

    // The tasks extension over stdio (M26-TASKS-EXT): the sample's write_report ([McpTool(TaskSupport = Optional)]) is a
    // task for a 2026-07-28 client that uses tasks, followed by CallToolAsync to its end with the approval asked for from
    // inside the task; an ordinary call (an input_required round) for one that does not; a request in a 2025 session.
    [Theory]
    [InlineData(ProtocolMode.Modern, true, "Report on tides, approved by Ada, written as a task.")]
    [InlineData(ProtocolMode.Modern, false, "Report on tides, approved by Ada.")]
    [InlineData(ProtocolMode.Legacy, true, "Report on tides, approved by Ada.")]
    public async Task A_task_tool_is_followed_to_its_result_with_its_input_answered(ProtocolMode mode, bool useTasks, string expected)
    {
        var asked = new List<string>();
        await using var client = await McpClient.ConnectAsync(StartSample(), new McpClientOptions
        {
            ProtocolMode = mode,
            UseTasks = useTasks,
            ElicitationHandler = (request, _) =>
            {
                asked.Add(request.Message);
                return ValueTask.FromResult(new ElicitResult { Action = "accept", Content = Args("""{"approver":"Ada"}""") });
            },
        });
        Tool? tool = null;
        await foreach (var listed in client.EnumerateToolsAsync())
        {
            tool = listed.Name == "write_report" ? listed : tool;
        }

        Assert.NotNull(tool);
        Assert.Equal("optional", tool.Execution?.TaskSupport);

        var result = await client.CallToolAsync("write_report", Args("""{"topic":"tides"}"""));

        Assert.Equal(expected, Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text);
        Assert.Equal(["Write the report on tides?"], asked);
    }

    [Fact]
    public async Task A_task_started_over_stdio_is_polled_through_its_handle_and_cancelled_while_it_waits_for_input()
    {
        await using var client = await McpClient.ConnectAsync(StartSample(), new McpClientOptions
        {
            ProtocolMode = ProtocolMode.Modern,
            ElicitationHandler = (_, _) => throw new InvalidOperationException("The handle's owner answers, not the handler."),
        });
        var handle = (await client.Tasks.StartToolCallAsync("write_report", Args("""{"topic":"tides"}"""))).Handle!;
        McpTaskDetails task = null!;
        await Eventually.WaitUntilAsync(async () => (task = await handle.GetAsync()).Status == McpTaskStatus.InputRequired, "the task to ask for approval");
        Assert.Equal("Write the report on tides?", Assert.Single(task.InputRequests!).Value.Params!.Value.GetProperty("message").GetString());

        await handle.CancelAsync();

        await Eventually.WaitUntilAsync(async () => (task = await handle.GetAsync()).Status == McpTaskStatus.Cancelled, "the task to end cancelled");
        Assert.Null(task.InputRequests);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => handle.WaitAsync());
    }

    [Theory]
    [InlineData(ProtocolMode.Auto, "2026-07-28")] // M26-STDIO-PROBE: server/discover answered, so per-request
    [InlineData(ProtocolMode.Legacy, "2025-11-25")]
    public async Task Connects_in_the_era_chosen_and_exposes_the_server(ProtocolMode mode, string version)
    {
        await using var client = await McpClient.ConnectAsync(StartSample(), new McpClientOptions { ProtocolMode = mode });
        Assert.Equal(version, client.ProtocolVersion);
        Assert.Equal(mode != ProtocolMode.Legacy, client.IsPerRequest);
        Assert.Equal("mcpsharp-everything", client.ServerInfo.Name);
        Assert.NotNull(client.ServerCapabilities.Tools);
        Assert.StartsWith("A demonstration server", client.ServerInstructions, StringComparison.Ordinal);
        await client.PingAsync();
    }

    [Fact]
    public async Task Lists_every_page_and_calls_tools()
    {
        await using var client = await McpClient.ConnectAsync(StartSample(null, "--page-size", "3"));
        var tools = new List<string>();
        await foreach (var tool in client.EnumerateToolsAsync())
        {
            tools.Add(tool.Name);
        }

        Assert.Contains("echo", tools);
        Assert.Equal(tools.Count, tools.Distinct().Count());
        Assert.Equal(22, await client.EnumerateResourcesAsync().CountAsync());

        var result = await client.CallToolAsync("add", Args("""{"a":2,"b":40}"""));
        Assert.Equal("42", Assert.IsType<TextContentBlock>(result.Content[0]).Text);
        var failing = await client.CallToolAsync("add", Args("""{"a":"x"}"""));
        Assert.True(failing.IsError);
        var unknown = await Assert.ThrowsAsync<McpProtocolException>(() => client.CallToolAsync("nope"));
        Assert.Equal(McpErrorCodes.InvalidParams, unknown.ErrorCode);
    }

    [Fact]
    public async Task Resources_prompts_and_completions()
    {
        await using var client = await McpClient.ConnectAsync(StartSample());
        var read = await client.ReadResourceAsync("sample://greeting/ada");
        Assert.Equal("Hello, ada!", Assert.IsType<TextResourceContents>(read.Contents[0]).Text);
        Assert.Equal("sample://greeting/{name}", (await client.ListResourceTemplatesAsync()).ResourceTemplates[0].UriTemplate);

        var prompt = await client.GetPromptAsync("complex_prompt", new Dictionary<string, string> { ["temperature"] = "0.2", ["style"] = "formal" });
        Assert.Contains("temperature=0.2, style=formal", Assert.IsType<TextContentBlock>(prompt.Messages[0].Content).Text, StringComparison.Ordinal);

        var completion = await client.CompleteAsync(new PromptReference { Name = "complex_prompt" }, "style", "f");
        Assert.Equal(["formal"], completion.Values);
    }

    [Fact]
    public async Task Progress_reaches_the_callers_reporter()
    {
        await using var client = await McpClient.ConnectAsync(StartSample());
        var reports = new List<double>();
        var progress = new SynchronousProgress(v => reports.Add(v.Progress));
        await client.CallToolAsync("long_running_operation", Args("""{"duration":0.2,"steps":4}"""), progress);
        Assert.Equal([1d, 2d, 3d, 4d], reports);
    }

    [Fact]
    public async Task Cancelling_a_call_sends_cancelled_and_the_session_goes_on()
    {
        await using var client = await McpClient.ConnectAsync(StartSample());
        using var cancel = new CancellationTokenSource();
        var started = new TaskCompletionSource();
        var call = client.CallToolAsync("long_running_operation", Args("""{"duration":600,"steps":600}"""), new SynchronousProgress(_ => started.TrySetResult()), cancellationToken: cancel.Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal("Echo: still here", ((TextContentBlock)(await client.CallToolAsync("echo", Args("""{"message":"still here"}"""))).Content[0]).Text);
    }

    [Fact]
    public async Task Log_messages_and_resource_updates_raise_events()
    {
        await using var client = await McpClient.ConnectAsync(StartSample());
        var levels = new List<LoggingLevel>();
        var updated = new TaskCompletionSource<string>();
        client.LogMessageReceived += (_, m) => { lock (levels) { levels.Add(m.Level); } };
        client.ResourceUpdated += (_, u) => updated.TrySetResult(u.Uri);

        await client.SetLoggingLevelAsync(LoggingLevel.Error);
        await client.CallToolAsync("log_messages");
        await client.PingAsync();
        lock (levels)
        {
            Assert.Equal([LoggingLevel.Error, LoggingLevel.Critical, LoggingLevel.Alert, LoggingLevel.Emergency], levels);
        }

        await client.SubscribeAsync("sample://static/text");
        await client.CallToolAsync("touch_resource", Args("""{"uri":"sample://static/text"}"""));
        Assert.Equal("sample://static/text", await updated.Task.WaitAsync(TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public async Task Sampling_and_elicitation_handlers_answer_and_form_defaults_are_applied()
    {
        JsonElement? requestedSchema = null;
        var options = new McpClientOptions
        {
            SamplingHandler = (request, _) => ValueTask.FromResult(new CreateMessageResult
            {
                Role = Role.Assistant,
                Model = "test-model",
                Content = [new TextContentBlock("4 (" + ((TextContentBlock)request.Messages[0].Content[0]).Text + ")")],
            }),
            // Accepts with only the name: the schema's default age (30) is filled in by the client.
            ElicitationHandler = (request, _) =>
            {
                requestedSchema = request.RequestedSchema;
                return ValueTask.FromResult(new ElicitResult { Action = "accept", Content = Args("""{"name":"Ada"}""") });
            },
        };
        await using var client = await McpClient.ConnectAsync(StartSample(), options);
        Assert.NotNull(client.Capabilities.Sampling);
        Assert.True(client.Capabilities.Elicitation!.SupportsForm);

        var sampled = await client.CallToolAsync("sample_llm", Args("""{"prompt":"2+2?"}"""));
        Assert.Equal("LLM (test-model) said: 4 (2+2?)", ((TextContentBlock)sampled.Content[0]).Text);

        var elicited = await client.CallToolAsync("elicit_user");
        Assert.Equal("Hello Ada, age 30.", ((TextContentBlock)elicited.Content[0]).Text);
        Assert.NotNull(requestedSchema);
    }

    [Fact]
    public async Task Without_handlers_a_2025_client_declares_nothing_and_the_tool_reports_the_missing_capability()
    {
        await using var client = await McpClient.ConnectAsync(StartSample(), new McpClientOptions { ProtocolMode = ProtocolMode.Legacy });
        Assert.Null(client.Capabilities.Sampling);
        Assert.Null(client.Capabilities.Elicitation);
        Assert.Null(client.Capabilities.Roots);
        // The server checks the capability before asking: the tool reports the missing capability as a tool error.
        Assert.True((await client.CallToolAsync("sample_llm", Args("""{"prompt":"x"}"""))).IsError);
    }

    [Fact]
    public async Task Without_handlers_a_2026_request_that_needs_sampling_is_refused_with_32021_naming_it_M26_META_UNDECLARED_CAP()
    {
        await using var client = await McpClient.ConnectAsync(StartSample());
        Assert.True(client.IsPerRequest);
        var refused = await Assert.ThrowsAsync<McpProtocolException>(() => client.CallToolAsync("sample_llm", Args("""{"prompt":"x"}""")));
        Assert.Equal(McpErrorCodes.MissingRequiredClientCapability, refused.ErrorCode);
        Assert.True(refused.ErrorData!.Value.GetProperty("requiredCapabilities").TryGetProperty("sampling", out _));
    }

    [Fact]
    public async Task Server_stderr_is_surfaced_as_logs_never_as_errors()
    {
        var logs = new ListLoggerFactory();
        await using (var client = await McpClient.ConnectAsync(StartSample(logs)))
        {
            await client.PingAsync();
        }

        Assert.Contains(logs.Entries, e => e.Message.Contains("stderr]", StringComparison.Ordinal) && e.Message.Contains("Serving MCP over stdio", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
    }

    [Fact]
    public async Task When_the_server_process_dies_pending_calls_fail_naming_the_exit_code()
    {
        // A "server" that reads the initialize request and exits with code 3.
        var options = new StdioClientTransportOptions { Command = "/bin/sh" };
        options.Arguments.Add("-c");
        options.Arguments.Add("read line; echo 'about to fail' >&2; exit 3");
        var error = await Assert.ThrowsAsync<IOException>(() => McpClient.ConnectAsync(new StdioClientTransport(options)));
        Assert.Contains("exited with code 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispose_closes_stdin_and_the_server_exits_by_itself()
    {
        var transport = StartSample();
        var client = await McpClient.ConnectAsync(transport);
        int pid = transport.ProcessId;
        await client.DisposeAsync();
        Assert.Throws<ArgumentException>(() => System.Diagnostics.Process.GetProcessById(pid));
    }

    [Fact]
    public async Task Dispose_kills_a_server_that_ignores_its_stdin_closing()
    {
        // SHUT-STDIO: a "server" that answers initialize, then ignores EOF on stdin and keeps its stdout open. The
        // client reads in a blocking read on a thread of its own, which the closing of stdin does not end: dispose must
        // still return, having killed the server.
        const string InitializeResult = """{"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-11-25","capabilities":{},"serverInfo":{"name":"stubborn","version":"1"}}}""";
        var options = new StdioClientTransportOptions { Command = "/bin/sh", ShutdownTimeout = TimeSpan.FromMilliseconds(200) };
        options.Arguments.Add("-c");
        options.Arguments.Add($"read line; echo '{InitializeResult}'; while :; do sleep 1; done");
        var transport = new StdioClientTransport(options);
        var client = await McpClient.ConnectAsync(transport);
        int pid = transport.ProcessId;
        await client.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Throws<ArgumentException>(() => System.Diagnostics.Process.GetProcessById(pid));
    }

    [Fact]
    public async Task A_request_that_cannot_be_serialized_fails_at_once_and_the_session_goes_on()
    {
        // An undefined JsonElement cannot be written. The stdio transport writes from its queue after SendAsync has
        // returned; the call must still fail with the reason now, not wait for its 60 s timeout.
        await using var client = await McpClient.ConnectAsync(StartSample());
        var unsendable = new Dictionary<string, JsonElement> { ["a"] = default, ["b"] = Args("""{"x":1}""")["x"] };
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.CallToolAsync("add", unsendable).WaitAsync(TimeSpan.FromSeconds(30)));

        var result = await client.CallToolAsync("add", Args("""{"a":2,"b":40}"""));
        Assert.Equal("42", Assert.IsType<TextContentBlock>(result.Content[0]).Text);
    }

    [Fact]
    public void Wrong_limits_are_refused_before_any_process_starts()
    {
        // The command does not exist: had the process been started first, that would be the error.
        var options = new StdioClientTransportOptions { Command = "/nonexistent/mcp-server", Limits = new StdioTransportOptions { DrainTimeout = TimeSpan.FromMilliseconds(-2) } };
        Assert.Throws<ArgumentOutOfRangeException>(() => new StdioClientTransport(options));
    }

    private sealed class SynchronousProgress(Action<ProgressNotificationValue> report) : IProgress<ProgressNotificationValue>
    {
        public void Report(ProgressNotificationValue value) => report(value);
    }
}

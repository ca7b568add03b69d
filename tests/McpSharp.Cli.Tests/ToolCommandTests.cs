using System.Text.Json;
using McpSharp.Tests.TestSupport;

namespace McpSharp.Cli.Tests;

/// <summary>
/// <c>mcpsharp ls</c>, <c>call</c>, <c>read</c>, <c>prompt</c> and <c>listen</c>, installed as a .NET tool and run as a
/// process against the sample over stdio and over HTTP: what they print and the documented exit codes (0 ok, 1 tool
/// error, 2 usage, 3 unreachable, 4 protocol error, 5 timeout, 130 interrupted).
/// </summary>
[Collection(InstalledToolGroup.Name)]
public sealed class ToolCommandTests(InstalledTool tool, SampleHttpServer http)
{
    private static string[] Stdio(params string[] arguments) => [.. arguments, "--", .. SampleHttpServer.StdioCommand];

    [Fact]
    public async Task Ls_lists_tools_resources_templates_and_prompts_as_json_over_stdio()
    {
        var (exit, output, error) = await tool.RunAsync(Stdio("ls", "--json"));

        Assert.True(exit == 0, error);
        using var listing = JsonDocument.Parse(output);
        Assert.Contains(listing.RootElement.GetProperty("tools").EnumerateArray(), t => t.GetProperty("name").GetString() == "echo");
        Assert.Contains(listing.RootElement.GetProperty("resources").EnumerateArray(), r => r.GetProperty("uri").GetString() == "sample://docs/01");
        Assert.NotEqual(0, listing.RootElement.GetProperty("resourceTemplates").GetArrayLength());
        Assert.Contains(listing.RootElement.GetProperty("prompts").EnumerateArray(), p => p.GetProperty("name").GetString() == "simple_prompt");
    }

    [Fact]
    public async Task Ls_prints_tables_over_http()
    {
        var (exit, output, error) = await tool.RunAsync("ls", http.Url);

        Assert.True(exit == 0, error);
        Assert.Contains("Tools (", output, StringComparison.Ordinal);
        Assert.Contains("echo", output, StringComparison.Ordinal);
        Assert.Contains("Prompts (", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("auto")]
    [InlineData("2026-07-28")]
    [InlineData("2025-11-25")]
    public async Task Call_prints_the_tools_text_in_every_era_over_http(string protocol)
    {
        var (exit, output, error) = await tool.RunAsync("call", http.Url, "echo", "message=hello there", "--protocol", protocol);

        Assert.True(exit == 0, error);
        Assert.Equal("Echo: hello there", output.Trim());
    }

    [Fact]
    public async Task Call_takes_json_arguments_and_prints_structured_content_over_stdio()
    {
        var (exit, output, error) = await tool.RunAsync(Stdio("call", "get_weather", "--args", """{"city":"Oslo"}"""));

        // The structured content once, indented (not again as the text block that repeats it).
        Assert.True(exit == 0, error);
        using var structured = JsonDocument.Parse(output);
        Assert.Equal(JsonValueKind.Object, structured.RootElement.ValueKind);
        Assert.Contains("\n  \"", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_reports_progress_on_stderr_and_the_result_on_stdout()
    {
        var (exit, output, error) = await tool.RunAsync(Stdio("call", "long_running_operation", "duration=0.2", "steps=2"));

        Assert.True(exit == 0, error);
        Assert.Contains("progress 1/2", error, StringComparison.Ordinal);
        Assert.DoesNotContain("progress", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tool_error_result_goes_to_stderr_and_exits_1()
    {
        var (exit, output, error) = await tool.RunAsync(Stdio("call", "add", "a=x", "b=1"));

        Assert.Equal(1, exit);
        Assert.Contains("'a' must be a number", error, StringComparison.Ordinal);
        Assert.Equal("", output.Trim());
    }

    [Fact]
    public async Task An_unknown_tool_is_a_protocol_error_exit_4()
    {
        var (exit, _, error) = await tool.RunAsync("call", http.Url, "no_such_tool");

        Assert.Equal(4, exit);
        Assert.Contains("no_such_tool", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_is_not_there_exits_3()
    {
        var (exit, _, error) = await tool.RunAsync("ls", "http://127.0.0.1:1/mcp");

        Assert.Equal(3, exit);
        Assert.StartsWith("mcpsharp: ", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("call")]
    [InlineData("call", "not-a-url", "echo")]
    [InlineData("frobnicate")]
    [InlineData("call", "http://127.0.0.1:1/mcp", "echo", "novalue")]
    public async Task A_wrong_command_line_exits_2(params string[] arguments)
    {
        var (exit, _, error) = await tool.RunAsync(arguments);

        Assert.Equal(2, exit);
        Assert.NotEqual("", error.Trim());
    }

    [Fact]
    public async Task A_call_longer_than_the_timeout_exits_5()
    {
        var (exit, _, error) = await tool.RunAsync(Stdio("call", "long_running_operation", "duration=30", "steps=30", "--timeout", "00:00:01"));

        Assert.Equal(5, exit);
        Assert.Contains("within", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_prints_a_text_resource_and_prompt_prints_its_messages()
    {
        var (readExit, text, readError) = await tool.RunAsync("read", http.Url, "sample://docs/01");
        var (promptExit, messages, promptError) = await tool.RunAsync(Stdio("prompt", "simple_prompt"));

        Assert.True(readExit == 0, readError);
        Assert.Equal("Document 01", text.Trim());
        Assert.True(promptExit == 0, promptError);
        Assert.Equal("user: This is a simple prompt without arguments.", messages.Trim());
    }

    [Fact]
    public async Task Ctrl_c_during_a_call_cancels_it_and_exits_130()
    {
        using var process = tool.Start(Stdio("call", "long_running_operation", "duration=60", "steps=60"));
        var output = process.StandardOutput.ReadToEndAsync();

        // The call is running once its first progress arrives; then the user presses Ctrl+C.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        string? line = await process.StandardError.ReadLineAsync(timeout.Token);
        Assert.StartsWith("progress ", line, StringComparison.Ordinal);
        await InstalledTool.InterruptAsync(process, timeout.Token);

        string rest = await process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        Assert.Equal(130, process.ExitCode);
        Assert.Contains("Interrupted", rest, StringComparison.Ordinal);
        Assert.Equal("", (await output).Trim());
    }

    [Fact]
    public async Task Headers_and_the_bearer_token_go_with_every_request()
    {
        var seen = new System.Collections.Concurrent.ConcurrentQueue<(string? Probe, string? Authorization)>();
        await using var app = await McpSharpApp.StartAsync((context, next) =>
        {
            seen.Enqueue((context.Request.Headers["X-Probe"], context.Request.Headers.Authorization));
            return next(context);
        });

        var (exit, _, error) = await tool.RunAsync("ls", app.Urls.First() + "/mcp", "--header", "X-Probe: 42", "--bearer", "t0ken", "--protocol", "2025-11-25");

        Assert.True(exit == 0, error);
        Assert.NotEmpty(seen);
        Assert.All(seen, s => Assert.Equal(("42", "Bearer t0ken"), s));
    }

    [Theory]
    [InlineData("2025-11-25", "session")]
    [InlineData("2026-07-28", "subscriptions/listen")]
    public async Task Listen_prints_each_notification_as_it_comes_until_ctrl_c(string protocol, string how)
    {
        using var listener = tool.Start("listen", http.Url, "--subscribe", "sample://docs/02", "--protocol", protocol);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        string? ready = await listener.StandardError.ReadLineAsync(timeout.Token);
        Assert.Equal($"listening ({protocol}, {how})", ready);

        // Another client changes the resource; the listener prints the update.
        var (touched, _, touchError) = await tool.RunAsync("call", http.Url, "touch_resource", "uri=sample://docs/02");
        Assert.True(touched == 0, touchError);
        string? line = await listener.StandardOutput.ReadLineAsync(timeout.Token);
        Assert.StartsWith("notifications/resources/updated {\"uri\":\"sample://docs/02\"", line, StringComparison.Ordinal);

        await InstalledTool.InterruptAsync(listener, timeout.Token);

        await listener.WaitForExitAsync(timeout.Token);
        Assert.Equal(0, listener.ExitCode);
    }

    [Fact]
    public async Task A_server_of_the_legacy_http_sse_transport_is_called_through_its_endpoint()
    {
        await NodeInterop.EnsureInstalledAsync();
        var (server, endpoint) = await NodeInterop.StartListeningAsync(
            new System.Diagnostics.ProcessStartInfo("node", ["server.mjs", "--legacy-sse"]) { WorkingDirectory = NodeInterop.Folder });
        try
        {
            var (exit, output, error) = await tool.RunAsync("call", endpoint.ToString(), "echo", "text=from 2024");

            Assert.True(exit == 0, error);
            Assert.Equal("ts:from 2024", output.Trim());
        }
        finally
        {
            NodeInterop.Stop(server);
        }
    }
}

using System.Text.Json;
using McpSharp.Tests.TestSupport;

namespace McpSharp.Tests.EndToEnd;

/// <summary>
/// The sample server as a real child process, over its real stdin and stdout: the end-to-end checks every build of the
/// sample must pass. <see cref="StdioSampleTests"/> runs them on the JIT; the AOT tests run them on the native binary.
/// </summary>
public abstract class SampleOverStdio
{
    /// <summary>Starts the sample over stdio with <paramref name="arguments"/> after <c>--stdio</c>.</summary>
    protected abstract StdioChild Start(params string[] arguments);

    private static string Text(JsonElement response) => response.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString()!;

    [Fact]
    public async Task Initialize_then_list_tools_and_call_one()
    {
        await using var child = Start();
        var init = await child.InitializeAsync();
        Assert.Equal("2025-11-25", init.GetProperty("result").GetProperty("protocolVersion").GetString());
        Assert.Equal("mcpsharp-everything", init.GetProperty("result").GetProperty("serverInfo").GetProperty("name").GetString());

        var tools = await child.RequestAsync(1, "tools/list");
        Assert.Contains(tools.GetProperty("result").GetProperty("tools").EnumerateArray(), t => t.GetProperty("name").GetString() == "echo");
        Assert.Equal("Echo: hi", Text(await child.RequestAsync(2, "tools/call", """{"name":"echo","arguments":{"message":"hi"}}""")));
        Assert.Equal("5", Text(await child.RequestAsync(3, "tools/call", """{"name":"add","arguments":{"a":2,"b":3}}""")));
    }

    [Fact]
    public async Task Generated_tools_validate_arguments_and_return_structured_output_over_stdio()
    {
        await using var child = Start();
        await child.InitializeAsync();

        // SEP-1303: a bad argument is a tool result the model can read, naming the argument.
        var invalid = (await child.RequestAsync(1, "tools/call", """{"name":"add","arguments":{"a":"two"}}""")).GetProperty("result");
        Assert.True(invalid.GetProperty("isError").GetBoolean());
        Assert.Equal("Invalid arguments for tool 'add': 'a' must be a number; 'b' is required.", invalid.GetProperty("content")[0].GetProperty("text").GetString());

        var weather = (await child.RequestAsync(2, "tools/call", """{"name":"get_weather","arguments":{"city":"Oslo"}}""")).GetProperty("result");
        Assert.Equal("""{"city":"Oslo","temperatureC":21.5,"conditions":"sunny"}""", weather.GetProperty("structuredContent").GetRawText());
        Assert.Equal(weather.GetProperty("structuredContent").GetRawText(), weather.GetProperty("content")[0].GetProperty("text").GetString());

        var tools = (await child.RequestAsync(3, "tools/list")).GetProperty("result").GetProperty("tools").EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!);
        Assert.Equal(
            """{"type":"object","properties":{"city":{"type":"string","description":"The city."},"temperatureC":{"type":"number","description":"Temperature in degrees Celsius."},"conditions":{"type":"string","description":"Sky and precipitation."}},"required":["city","temperatureC","conditions"]}""",
            tools["get_weather"].GetProperty("outputSchema").GetRawText());
        Assert.Equal("Returns structured weather data for a city (structured output; the schema comes from Weather).", tools["get_weather"].GetProperty("description").GetString());
        Assert.StartsWith("20", Text(await child.RequestAsync(4, "tools/call", """{"name":"get_time"}""")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resources_are_listed_page_by_page_PAGE_OPS()
    {
        await using var child = Start("--page-size", "7");
        await child.InitializeAsync();
        var uris = new List<string>();
        string? cursor = null;
        int id = 10, pages = 0;
        do
        {
            var page = (await child.RequestAsync(id++, "resources/list", cursor is null ? "{}" : $$"""{"cursor":"{{cursor}}"}""")).GetProperty("result");
            uris.AddRange(page.GetProperty("resources").EnumerateArray().Select(r => r.GetProperty("uri").GetString()!));
            cursor = page.TryGetProperty("nextCursor", out var next) ? next.GetString() : null;
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(22, uris.Count);
        Assert.Equal(uris.Count, uris.Distinct().Count());
        Assert.Equal(4, pages);
    }

    [Fact]
    public async Task A_long_call_reports_progress_and_can_be_cancelled_CANCEL_RECEIVER()
    {
        await using var child = Start();
        await child.InitializeAsync();
        child.WriteLine("""{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"long_running_operation","arguments":{"duration":600,"steps":600},"_meta":{"progressToken":"p5"}}}""");
        var progress = await child.WaitForNotificationAsync("notifications/progress");
        Assert.Equal("p5", progress.GetProperty("params").GetProperty("progressToken").GetString());

        child.WriteLine("""{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":5,"reason":"test"}}""");
        // The server keeps serving; the cancelled call never gets a response.
        Assert.Equal("Echo: after", Text(await child.RequestAsync(6, "tools/call", """{"name":"echo","arguments":{"message":"after"}}""")));
        await child.RequestAsync(7, "ping");
        Assert.DoesNotContain(child.Untaken(), m => m.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.Number && i.GetInt32() == 5);
    }

    [Fact]
    public async Task Progress_notifications_come_before_the_result()
    {
        await using var child = Start();
        await child.InitializeAsync();
        var response = await child.RequestAsync(8, "tools/call", """{"name":"long_running_operation","arguments":{"duration":0.2,"steps":4},"_meta":{"progressToken":8}}""");
        Assert.StartsWith("Long running operation completed", Text(response), StringComparison.Ordinal);
        var progress = child.Untaken().Where(m => m.GetProperty("method").GetString() == "notifications/progress").Select(m => m.GetProperty("params").GetProperty("progress").GetDouble()).ToList();
        Assert.Equal([1d, 2d, 3d, 4d], progress);
    }

    [Fact]
    public async Task Log_level_filters_notifications_message_LOG_SETLEVEL()
    {
        await using var child = Start();
        await child.InitializeAsync();
        await child.RequestAsync(1, "logging/setLevel", """{"level":"warning"}""");
        await child.RequestAsync(2, "tools/call", """{"name":"log_messages"}""");
        var levels = child.Untaken().Where(m => m.GetProperty("method").GetString() == "notifications/message").Select(m => m.GetProperty("params").GetProperty("level").GetString()).ToList();
        Assert.Equal(["warning", "error", "critical", "alert", "emergency"], levels);
    }

    [Fact]
    public async Task A_subscriber_receives_resources_updated_RES_SUBSCRIBE()
    {
        await using var child = Start();
        await child.InitializeAsync();
        await child.RequestAsync(1, "resources/subscribe", """{"uri":"sample://static/text"}""");
        await child.RequestAsync(2, "tools/call", """{"name":"touch_resource","arguments":{"uri":"sample://static/text"}}""");
        var updated = await child.WaitForNotificationAsync("notifications/resources/updated");
        Assert.Equal("sample://static/text", updated.GetProperty("params").GetProperty("uri").GetString());
    }

    [Fact]
    public async Task A_malformed_line_gets_32700_and_the_next_request_is_answered()
    {
        await using var child = Start();
        await child.InitializeAsync();
        child.WriteLine("{this is not json");
        var error = await child.WaitForAsync(m => m.TryGetProperty("error", out _));
        Assert.Equal(-32700, error.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(JsonValueKind.Object, (await child.RequestAsync(9, "ping")).GetProperty("result").ValueKind);
    }

    [Fact]
    public async Task Closing_stdin_makes_the_process_exit_0()
    {
        await using var child = Start();
        await child.InitializeAsync();
        child.CloseStdin();
        Assert.Equal(0, await child.WaitForExitAsync());
    }

    [Fact]
    public async Task Sampling_and_elicitation_round_trips_go_through_the_client()
    {
        await using var child = Start();
        await child.InitializeAsync("""{"sampling":{},"elicitation":{}}""");
        child.WriteLine("""{"jsonrpc":"2.0","id":20,"method":"tools/call","params":{"name":"sample_llm","arguments":{"prompt":"2+2?"}}}""");
        var sampling = await child.WaitForAsync(m => m.TryGetProperty("method", out var me) && me.GetString() == "sampling/createMessage");
        Assert.Equal("2+2?", sampling.GetProperty("params").GetProperty("messages")[0].GetProperty("content").GetProperty("text").GetString());
        child.WriteLine($$$"""{"jsonrpc":"2.0","id":{{{sampling.GetProperty("id").GetRawText()}}},"result":{"role":"assistant","content":{"type":"text","text":"4"},"model":"m"}}""");
        Assert.Equal("LLM (m) said: 4", Text(await child.WaitForAsync(m => m.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.Number && i.GetInt32() == 20)));

        child.WriteLine("""{"jsonrpc":"2.0","id":21,"method":"tools/call","params":{"name":"elicit_user"}}""");
        var elicit = await child.WaitForAsync(m => m.TryGetProperty("method", out var me) && me.GetString() == "elicitation/create");
        child.WriteLine($$$$"""{"jsonrpc":"2.0","id":{{{{elicit.GetProperty("id").GetRawText()}}}},"result":{"action":"accept","content":{"name":"Ada","age":36}}}""");
        Assert.Equal("Hello Ada, age 36.", Text(await child.WaitForAsync(m => m.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.Number && i.GetInt32() == 21)));
    }

    [Fact]
    public async Task Nothing_but_json_rpc_reaches_stdout_STDIO_STDOUT_ONLY_MCP()
    {
        await using var child = Start();
        await child.InitializeAsync();
        await child.RequestAsync(1, "tools/call", """{"name":"log_messages"}""");
        await child.RequestAsync(2, "tools/call", """{"name":"nope"}""");
        child.CloseStdin();
        Assert.Equal(0, await child.WaitForExitAsync());
        // StdioChild fails the test on any stdout line that is not JSON; every line is also a JSON-RPC 2.0 message.
        Assert.All(child.Untaken(), m => Assert.Equal("2.0", m.GetProperty("jsonrpc").GetString()));
    }
}

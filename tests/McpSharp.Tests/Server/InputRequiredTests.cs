using System.Text.Json;
using McpSharp.Protocol;
using McpSharp.Server;
using McpSharp.Tests.TestSupport;
using static McpSharp.Tests.Server.PerRequestServerTests;

namespace McpSharp.Tests.Server;

/// <summary>
/// Multi round-trip requests (2026-07-28, M26-MRTR-*): the same handler API as for 2025 clients
/// (<c>ElicitAsync</c>, <c>SampleAsync</c>, <c>ListRootsAsync</c>) ends the attempt with <c>input_required</c>, and the
/// retry runs the handler again with the answers; <c>requestState</c> is sealed and bound to its request.
/// </summary>
public sealed class InputRequiredTests
{
    private const string AllCapabilities = """{"elicitation":{},"sampling":{},"roots":{}}""";

    private static JsonElement NameSchema => TestPeer.Json("""{"type":"object","properties":{"name":{"type":"string"}},"required":["name"]}""");

    private static McpServer CreateServer(TimeProvider? time = null, byte[]? key = null)
    {
        var options = new McpServerOptions { RequestState = { Key = key } };
        var server = new McpServer(options, timeProvider: time);
        server.Tools.Add(new Tool { Name = "greet", InputSchema = TestPeer.Json("""{"type":"object"}""") }, static async ctx =>
        {
            var answer = await ctx.ElicitAsync("user_name", new ElicitRequestParams { Message = "What is your name?", RequestedSchema = NameSchema });
            return CallToolResult.FromText($"Hello, {answer.Content!["name"].GetString()}!");
        });
        server.Tools.Add(new Tool { Name = "two_rounds", InputSchema = TestPeer.Json("""{"type":"object"}""") }, static async ctx =>
        {
            var first = await ctx.ElicitAsync(new ElicitRequestParams { Message = "Name?", RequestedSchema = NameSchema });
            var second = await ctx.ElicitAsync(new ElicitRequestParams { Message = "Colour?", RequestedSchema = NameSchema });
            return CallToolResult.FromText($"{first.Content!["name"].GetString()} likes {second.Content!["name"].GetString()}");
        });
        server.Tools.Add(new Tool { Name = "three_at_once", InputSchema = TestPeer.Json("""{"type":"object"}""") }, static async ctx =>
        {
            var name = ctx.ElicitAsync("user_name", new ElicitRequestParams { Message = "Name?", RequestedSchema = NameSchema }).AsTask();
            var greeting = ctx.SampleAsync("greeting", new CreateMessageRequestParams { Messages = [new SamplingMessage { Role = Role.User, Content = [new TextContentBlock("Greet")] }], MaxTokens = 50 }).AsTask();
            var roots = ctx.ListRootsAsync("client_roots").AsTask();
            await Task.WhenAll(name, greeting, roots);
            return CallToolResult.FromText($"{name.Result.Content!["name"].GetString()}|{((TextContentBlock)greeting.Result.Content[0]).Text}|{roots.Result.Roots.Count}");
        });
        server.Tools.Add(new Tool { Name = "sample", InputSchema = TestPeer.Json("""{"type":"object","properties":{"topic":{"type":"string"}}}""") }, static async ctx =>
        {
            var reply = await ctx.SampleAsync(new CreateMessageRequestParams { Messages = [new SamplingMessage { Role = Role.User, Content = [new TextContentBlock("Say something")] }], MaxTokens = 10 });
            return CallToolResult.FromText(((TextContentBlock)reply.Content[0]).Text);
        });
        server.Prompts.Add(new Prompt { Name = "context_prompt", Description = "Asks for context." }, static async ctx =>
        {
            var answer = await ctx.ElicitAsync("user_context", new ElicitRequestParams { Message = "Context?", RequestedSchema = NameSchema });
            return new GetPromptResult { Messages = [new PromptMessage { Role = Role.User, Content = new TextContentBlock("Prompt with context: " + answer.Content!["name"].GetString()) }] };
        });
        server.Resources.Add(new Resource { Uri = "test://asks", Name = "asks" }, static async ctx =>
        {
            var roots = await ctx.ListRootsAsync();
            return new ReadResourceResult { Contents = [new TextResourceContents { Uri = "test://asks", Text = $"{roots.Roots.Count} roots" }] };
        });
        return server;
    }

    private static string Accept(string name) => """{"action":"accept","content":{"name":""" + JsonSerializer.Serialize(name, McpJsonContext.Default.String) + "}}";

    private static string Retry(string members, string responses, string? state) =>
        Params(members + ",\"inputResponses\":" + responses + (state is null ? "" : ",\"requestState\":" + JsonSerializer.Serialize(state, McpJsonContext.Default.String)), AllCapabilities);

    [Fact]
    public async Task A_tool_that_elicits_ends_with_input_required_and_completes_on_the_retry_M26_MRTR_ONLY()
    {
        await using var peer = new TestPeer(CreateServer());
        var first = await peer.RequestAsync("tools/call", Params("\"name\":\"greet\"", AllCapabilities));

        Assert.Equal("input_required", first.GetProperty("resultType").GetString());
        var ask = first.GetProperty("inputRequests").GetProperty("user_name");
        Assert.Equal("elicitation/create", ask.GetProperty("method").GetString());
        Assert.Equal("What is your name?", ask.GetProperty("params").GetProperty("message").GetString());
        Assert.False(first.TryGetProperty("ttlMs", out _));
        string state = first.GetProperty("requestState").GetString()!;

        // The server sent no request of its own (M26-MRTR-ONLY).
        Assert.False(peer.Notifications.Reader.TryRead(out _));

        var done = await peer.RequestAsync("tools/call", Retry("\"name\":\"greet\"", $$"""{"user_name":{{Accept("Ada")}}}""", state));
        Assert.Equal("complete", done.GetProperty("resultType").GetString());
        Assert.Equal("Hello, Ada!", done.GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task Answers_alone_complete_without_state_and_unknown_keys_are_ignored_M26_MRTR_MISSING()
    {
        await using var peer = new TestPeer(CreateServer());
        var done = await peer.RequestAsync("tools/call", Retry("\"name\":\"greet\"", """{"user_name":""" + Accept("Bo") + ""","extra":{"action":"accept","content":{"foo":"bar"}}}""", null));
        Assert.Equal("Hello, Bo!", done.GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_missing_answer_is_asked_again_not_an_error_M26_MRTR_MISSING()
    {
        await using var peer = new TestPeer(CreateServer());
        var again = await peer.RequestAsync("tools/call", Retry("\"name\":\"greet\"", $$"""{"wrong_key":{{Accept("x")}}}""", null));
        Assert.Equal("input_required", again.GetProperty("resultType").GetString());
        Assert.True(again.GetProperty("inputRequests").TryGetProperty("user_name", out _));
    }

    [Theory]
    [InlineData("""{"user_name":12345}""")]
    [InlineData("""{"user_name":{"content":{"name":"no action"}}}""")]
    public async Task A_malformed_answer_is_32602_and_never_taken_for_a_real_one(string responses)
    {
        await using var peer = new TestPeer(CreateServer());
        var error = await peer.RequestErrorAsync("tools/call", Retry("\"name\":\"greet\"", responses, null));
        Assert.Equal(McpErrorCodes.InvalidParams, error.ErrorCode);
    }

    [Fact]
    public async Task Several_rounds_carry_earlier_answers_in_the_sealed_state_and_each_state_differs()
    {
        await using var peer = new TestPeer(CreateServer());
        var round1 = await peer.RequestAsync("tools/call", Params("\"name\":\"two_rounds\"", AllCapabilities));
        string state1 = round1.GetProperty("requestState").GetString()!;
        Assert.True(round1.GetProperty("inputRequests").TryGetProperty("elicitation-1", out _));

        var round2 = await peer.RequestAsync("tools/call", Retry("\"name\":\"two_rounds\"", $$"""{"elicitation-1":{{Accept("Ada")}}}""", state1));
        string state2 = round2.GetProperty("requestState").GetString()!;
        Assert.Equal(["elicitation-2"], round2.GetProperty("inputRequests").EnumerateObject().Select(p => p.Name));
        Assert.NotEqual(state1, state2);

        // Only the new answer is sent: the first one comes back from the state.
        var done = await peer.RequestAsync("tools/call", Retry("\"name\":\"two_rounds\"", $$"""{"elicitation-2":{{Accept("blue")}}}""", state2));
        Assert.Equal("Ada likes blue", done.GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task Inputs_asked_side_by_side_all_go_in_one_input_required_result()
    {
        await using var peer = new TestPeer(CreateServer());
        var round = await peer.RequestAsync("tools/call", Params("\"name\":\"three_at_once\"", AllCapabilities));
        var asks = round.GetProperty("inputRequests");
        Assert.Equal(["client_roots", "greeting", "user_name"], asks.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("sampling/createMessage", asks.GetProperty("greeting").GetProperty("method").GetString());
        Assert.Equal("roots/list", asks.GetProperty("client_roots").GetProperty("method").GetString());

        string responses = """{"user_name":""" + Accept("Ada") + ""","greeting":{"role":"assistant","content":{"type":"text","text":"Hi!"},"model":"m"},"client_roots":{"roots":[{"uri":"file:///a"}]}}""";
        var done = await peer.RequestAsync("tools/call", Retry("\"name\":\"three_at_once\"", responses, round.GetProperty("requestState").GetString()));
        Assert.Equal("Ada|Hi!|1", done.GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task Prompts_and_resources_ask_for_input_the_same_way_and_other_methods_never_do_M26_MRTR_METHODS()
    {
        await using var peer = new TestPeer(CreateServer());
        var prompt = await peer.RequestAsync("prompts/get", Params("\"name\":\"context_prompt\"", AllCapabilities));
        Assert.Equal("input_required", prompt.GetProperty("resultType").GetString());
        var done = await peer.RequestAsync("prompts/get", Retry("\"name\":\"context_prompt\"", $$"""{"user_context":{{Accept("tests")}}}""", null));
        Assert.Equal("Prompt with context: tests", done.GetProperty("messages")[0].GetProperty("content").GetProperty("text").GetString());

        var read = await peer.RequestAsync("resources/read", Params("\"uri\":\"test://asks\"", AllCapabilities));
        Assert.Equal("roots/list", read.GetProperty("inputRequests").GetProperty("roots-1").GetProperty("method").GetString());

        var list = await peer.RequestAsync("tools/list", Retry("\"cursor\":null", $$"""{"x":{{Accept("y")}}}""", "junk"));
        Assert.Equal("complete", list.GetProperty("resultType").GetString());
    }

    [Theory]
    [InlineData("{}", "sample", """{"sampling":{}}""")]
    [InlineData("""{"elicitation":{}}""", "sample", """{"sampling":{}}""")]
    [InlineData("""{"sampling":{}}""", "greet", """{"elicitation":{}}""")]
    public async Task An_input_the_client_did_not_declare_is_32021_naming_the_capability_M26_MRTR_CAPS(string capabilities, string tool, string required)
    {
        await using var peer = new TestPeer(CreateServer());
        var error = await peer.RequestErrorAsync("tools/call", Params($"\"name\":\"{tool}\"", capabilities));
        Assert.Equal(McpErrorCodes.MissingRequiredClientCapability, error.ErrorCode);
        Assert.Equal(required, error.ErrorData!.Value.GetProperty("requiredCapabilities").GetRawText());
    }

    [Fact]
    public async Task Tampered_state_or_state_of_another_request_is_refused_M26_MRTR_STATE_SECURITY()
    {
        await using var peer = new TestPeer(CreateServer());
        string state = (await peer.RequestAsync("tools/call", Params("\"name\":\"two_rounds\"", AllCapabilities))).GetProperty("requestState").GetString()!;
        string answer = $$"""{"elicitation-1":{{Accept("Ada")}}}""";

        var tampered = await peer.RequestErrorAsync("tools/call", Retry("\"name\":\"two_rounds\"", answer, state + "-TAMPERED"));
        Assert.Equal(McpErrorCodes.InvalidParams, tampered.ErrorCode);

        var otherTool = await peer.RequestErrorAsync("tools/call", Retry("\"name\":\"greet\"", answer, state));
        Assert.Contains("another request", otherTool.Message, StringComparison.Ordinal);

        var otherArguments = await peer.RequestErrorAsync("tools/call", Retry("\"name\":\"two_rounds\",\"arguments\":{\"x\":1}", answer, state));
        Assert.Contains("another request", otherArguments.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task State_expires_after_its_lifetime_M26_MRTR_STATE_REPLAY()
    {
        var clock = new TestClock();
        await using var peer = new TestPeer(CreateServer(clock));
        string state = (await peer.RequestAsync("tools/call", Params("\"name\":\"two_rounds\"", AllCapabilities))).GetProperty("requestState").GetString()!;
        clock.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        var expired = await peer.RequestErrorAsync("tools/call", Retry("\"name\":\"two_rounds\"", $$"""{"elicitation-1":{{Accept("Ada")}}}""", state));
        Assert.Contains("expired", expired.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_retry_served_by_another_server_that_shares_only_the_key_completes()
    {
        byte[] key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        await using var first = new TestPeer(CreateServer(key: key));
        await using var second = new TestPeer(CreateServer(key: key));
        await using var stranger = new TestPeer(CreateServer());

        string state = (await first.RequestAsync("tools/call", Params("\"name\":\"two_rounds\"", AllCapabilities))).GetProperty("requestState").GetString()!;
        string retry = Retry("\"name\":\"two_rounds\"", $$"""{"elicitation-1":{{Accept("Ada")}}}""", state);

        Assert.Equal("input_required", (await second.RequestAsync("tools/call", retry)).GetProperty("resultType").GetString());
        Assert.Equal(McpErrorCodes.InvalidParams, (await stranger.RequestErrorAsync("tools/call", retry)).ErrorCode);
    }
}

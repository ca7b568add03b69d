using System.Text.Json;
using McpSharp.Client;
using McpSharp.Protocol;
using McpSharp.Tests.TestSupport;
using McpSharp.Transports.Stdio;
using Microsoft.Extensions.AI;

namespace McpSharp.Extensions.AI.Tests;

/// <summary>
/// The sample's tools (the sample as a real child process over stdio) as AIFunctions: a chat client with function
/// invocation calls them as a model would, and what comes back is what the tool returned, mapped faithfully.
/// </summary>
public sealed class SampleToolsAsFunctionsTests : IAsyncLifetime
{
    private McpClient _client = null!;
    private Dictionary<string, McpClientTool> _tools = null!;

    public async Task InitializeAsync()
    {
        var options = new StdioClientTransportOptions { Command = StdioChild.DotnetHost() };
        options.Arguments.Add(StdioChild.SamplePath());
        options.Arguments.Add("--stdio");
        _client = await McpClient.ConnectAsync(new StdioClientTransport(options), new McpClientOptions
        {
            // sample_llm asks for sampling: answered by another scripted model through the bridge.
            SamplingHandler = new ScriptedChatClient((messages, chat) => new ChatResponse(new ChatMessage(ChatRole.Assistant, "sampled: " + messages[^1].Text)) { ModelId = "scripted-model" }).AsSamplingHandler(),
        });
        _tools = (await _client.ListAIToolsAsync()).ToDictionary(t => t.Name);
    }

    public async Task DisposeAsync() => await _client.DisposeAsync();

    [Fact]
    public async Task A_chat_client_with_function_invocation_calls_an_mcp_tool_and_reads_its_answer()
    {
        var model = new ScriptedChatClient(
            (_, _) => new ChatResponse(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("call-1", "add", new Dictionary<string, object?> { ["a"] = 2, ["b"] = 3 })])),
            (messages, _) => new ChatResponse(new ChatMessage(ChatRole.Assistant, "The sum is " + ScriptedChatClient.Results(messages).Single().Result)));
        using var chat = new ChatClientBuilder(model).UseFunctionInvocation().Build();

        var response = await chat.GetResponseAsync("What is 2 + 3?", new ChatOptions { Tools = [.. _tools.Values] });

        Assert.Equal("The sum is 5", response.Text);
        // The model was offered the server's tools with their own schemas.
        var offered = model.Calls[0].Options!.Tools!.OfType<AIFunctionDeclaration>().Single(t => t.Name == "add");
        Assert.Equal("Adds two numbers.", offered.Description);
        Assert.Equal("number", offered.JsonSchema.GetProperty("properties").GetProperty("a").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Structured_output_comes_back_as_the_json_the_return_schema_describes()
    {
        var weather = _tools["get_weather"];
        Assert.Equal("object", weather.ReturnJsonSchema!.Value.GetProperty("type").GetString());

        var result = Assert.IsType<JsonElement>(await weather.InvokeAsync(new AIFunctionArguments { ["city"] = "Oslo" }));

        Assert.Equal("Oslo", result.GetProperty("city").GetString());
        Assert.Equal(21.5, result.GetProperty("temperatureC").GetDouble());
    }

    [Fact]
    public async Task An_image_comes_back_as_data_content_with_its_bytes_and_media_type()
    {
        var result = Assert.IsType<List<AIContent>>(await _tools["get_image"].InvokeAsync(new AIFunctionArguments()));

        var image = Assert.IsType<DataContent>(Assert.Single(result));
        Assert.Equal("image/png", image.MediaType);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], image.Data[..4].ToArray());
        Assert.IsType<ImageContentBlock>(image.RawRepresentation);
    }

    [Fact]
    public async Task A_tool_error_reaches_the_model_as_error_content_and_is_not_thrown()
    {
        // "a" must be a number: the generated tool refuses the call as a tool error (isError), which the model may correct.
        var model = new ScriptedChatClient(
            (_, _) => new ChatResponse(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("call-1", "add", new Dictionary<string, object?> { ["a"] = "two", ["b"] = 3 })])),
            (messages, _) => new ChatResponse(new ChatMessage(ChatRole.Assistant, "noted")));
        using var chat = new ChatClientBuilder(model).UseFunctionInvocation().Build();

        await chat.GetResponseAsync("add", new ChatOptions { Tools = [_tools["add"]] });

        var result = ScriptedChatClient.Results(model.Calls[1].Messages).Single();
        Assert.Null(result.Exception);
        var error = Assert.IsType<ErrorContent>(Assert.IsType<List<AIContent>>(result.Result)[0]);
        Assert.Contains("a", error.Message, StringComparison.Ordinal);
        Assert.True(Assert.IsType<CallToolResult>(error.RawRepresentation).IsError);
    }

    [Fact]
    public async Task Progress_is_reported_and_cancelling_the_invocation_cancels_the_call()
    {
        var steps = new List<ProgressNotificationValue>();
        var progress = new SynchronousProgress(steps.Add);
        var tool = _tools["long_running_operation"].WithProgress(progress);

        Assert.Equal("Long running operation completed: 2 steps in 0.2 s.", await tool.InvokeAsync(new AIFunctionArguments { ["duration"] = 0.2, ["steps"] = 2 }));
        Assert.Equal([1.0, 2.0], steps.Select(s => s.Progress));

        using var cancel = new CancellationTokenSource();
        var firstStep = new TaskCompletionSource();
        var slow = _tools["long_running_operation"].WithProgress(new SynchronousProgress(_ => firstStep.TrySetResult()));
        var call = slow.InvokeAsync(new AIFunctionArguments { ["duration"] = 600, ["steps"] = 6000 }, cancel.Token).AsTask();
        await firstStep.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(TimeSpan.FromSeconds(30)));
        // The connection is still good for the next call.
        Assert.Equal("Echo: after", await _tools["echo"].InvokeAsync(new AIFunctionArguments { ["message"] = "after" }));
    }

    [Fact]
    public async Task A_tool_that_samples_is_answered_by_a_chat_client()
    {
        Assert.Equal("LLM (scripted-model) said: sampled: hello", await _tools["sample_llm"].InvokeAsync(new AIFunctionArguments { ["prompt"] = "hello" }));
    }

    [Fact]
    public async Task Renaming_a_tool_keeps_calling_the_servers_own_name()
    {
        var renamed = _tools["echo"].WithName("sample_echo").WithDescription("Echo, from the sample.");

        Assert.Equal(("sample_echo", "Echo, from the sample."), (renamed.Name, renamed.Description));
        Assert.Equal("Echo: x", await renamed.InvokeAsync(new AIFunctionArguments { ["message"] = "x" }));
        Assert.Equal("echo", renamed.ProtocolTool.Name);
    }

    private sealed class SynchronousProgress(Action<ProgressNotificationValue> report) : IProgress<ProgressNotificationValue>
    {
        public void Report(ProgressNotificationValue value) => report(value);
    }
}

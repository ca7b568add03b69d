using System.Text.Json;
using McpSharp.Client;
using McpSharp.Protocol;
using McpSharp.Transports.Http;

namespace McpSharp.Interop.Tests;

/// <summary>
/// The conformance fixture's exact texts. Some suite checks pass even when a fixture tool is missing (an "unknown tool"
/// error result satisfies them), so every tool, resource and prompt is checked here word for word.
/// </summary>
public sealed class FixtureTests : IAsyncLifetime
{
    private FixtureHost _host = null!;
    private McpClient _client = null!;
    private readonly List<JsonElement> _elicitationSchemas = [];

    public async Task InitializeAsync()
    {
        _host = await FixtureHost.StartAsync();
        _client = await McpClient.ConnectAsync(new StreamableHttpClientTransport(new HttpClientTransportOptions { Endpoint = _host.Endpoint }), new McpClientOptions
        {
            SamplingHandler = static (request, _) => ValueTask.FromResult(new CreateMessageResult
            {
                Role = Role.Assistant,
                Model = "test-model",
                Content = [new TextContentBlock("This is a test response from the client")],
            }),
            ElicitationHandler = (request, _) =>
            {
                lock (_elicitationSchemas)
                {
                    _elicitationSchemas.Add(request.RequestedSchema!.Value);
                }

                return ValueTask.FromResult(new ElicitResult { Action = "accept", Content = JsonSerializer.Deserialize("""{"username":"testuser","email":"test@example.com"}""", McpJsonContext.Default.DictionaryStringJsonElement) });
            },
            ApplyElicitationDefaults = false,
        });
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _host.DisposeAsync();
    }

    private static Dictionary<string, JsonElement>? Args(string json) => JsonSerializer.Deserialize(json, McpJsonContext.Default.DictionaryStringJsonElement);

    private async Task<CallToolResult> CallAsync(string tool, string? args = null) => await _client.CallToolAsync(tool, args is null ? null : Args(args));

    [Fact]
    public async Task Lists_the_tools_of_both_eras_each_with_a_description_and_an_object_schema()
    {
        var tools = await _client.EnumerateToolsAsync().ToListAsync();
        Assert.Equal(
            [
                "confirm_delete",
                "failing_job",
                "greet",
                "json_schema_2020_12_tool",
                "multi_input",
                "protocol_error_job",
                "slow_compute",
                "test_audio_content",
                "test_elicitation",
                "test_elicitation_sep1034_defaults",
                "test_elicitation_sep1330_enums",
                "test_embedded_resource",
                "test_error_handling",
                "test_header_routing",
                "test_image_content",
                "test_input_required_result_capabilities",
                "test_input_required_result_elicitation",
                "test_input_required_result_list_roots",
                "test_input_required_result_multi_round",
                "test_input_required_result_multiple_inputs",
                "test_input_required_result_request_state",
                "test_input_required_result_sampling",
                "test_input_required_result_tampered_state",
                "test_logging_tool",
                "test_missing_capability",
                "test_multiple_content_types",
                "test_reconnection",
                "test_sampling",
                "test_simple_text",
                "test_streaming_elicitation",
                "test_tool_with_logging",
                "test_tool_with_progress",
                "test_tool_with_task",
                "test_trigger_prompt_change",
                "test_trigger_tool_change",
            ],
            tools.Select(t => t.Name));
        Assert.All(tools, t =>
        {
            Assert.False(string.IsNullOrEmpty(t.Description));
            Assert.Equal("object", t.InputSchema.GetProperty("type").GetString());
        });
        var schema = tools.Single(t => t.Name == "json_schema_2020_12_tool").InputSchema;
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", schema.GetProperty("$schema").GetString());
        Assert.Equal("#/$defs/address", schema.GetProperty("properties").GetProperty("address").GetProperty("$ref").GetString());
        Assert.False(schema.GetProperty("additionalProperties").GetBoolean());
    }

    [Fact]
    public async Task Content_tools_return_their_exact_content()
    {
        Assert.Equal("This is a simple text response for testing.", ((TextContentBlock)(await CallAsync("test_simple_text")).Content[0]).Text);
        var image = Assert.IsType<ImageContentBlock>((await CallAsync("test_image_content")).Content[0]);
        Assert.Equal("image/png", image.MimeType);
        Assert.StartsWith("iVBORw0KGgo", image.Data, StringComparison.Ordinal);
        var audio = Assert.IsType<AudioContentBlock>((await CallAsync("test_audio_content")).Content[0]);
        Assert.Equal("audio/wav", audio.MimeType);
        Assert.Equal("RIFF", System.Text.Encoding.ASCII.GetString(Convert.FromBase64String(audio.Data), 0, 4));

        var embedded = Assert.IsType<TextResourceContents>(Assert.IsType<EmbeddedResourceBlock>((await CallAsync("test_embedded_resource")).Content[0]).Resource);
        Assert.Equal(("test://embedded-resource", "text/plain", "This is an embedded resource content."), (embedded.Uri, embedded.MimeType, embedded.Text));

        var mixed = (await CallAsync("test_multiple_content_types")).Content;
        Assert.Equal("Multiple content types test:", Assert.IsType<TextContentBlock>(mixed[0]).Text);
        Assert.IsType<ImageContentBlock>(mixed[1]);
        var json = Assert.IsType<TextResourceContents>(Assert.IsType<EmbeddedResourceBlock>(mixed[2]).Resource);
        Assert.Equal(("test://mixed-content-resource", "application/json", """{"test":"data","value":123}"""), (json.Uri, json.MimeType, json.Text));

        var error = await CallAsync("test_error_handling");
        Assert.True(error.IsError);
        Assert.Equal("This tool intentionally returns an error for testing", ((TextContentBlock)error.Content[0]).Text);
    }

    [Fact]
    public async Task Logging_and_progress_tools_send_three_notifications_while_running()
    {
        var logs = new List<string>();
        _client.LogMessageReceived += (_, m) => { lock (logs) { logs.Add(m.Data.GetString()!); } };

        // In 2026-07-28 a request gets log messages only when it names a level (M26-META-LOGLEVEL).
        await _client.SetLoggingLevelAsync(LoggingLevel.Debug);
        await CallAsync("test_tool_with_logging");
        Assert.Equal(["Tool execution started", "Tool processing data", "Tool execution completed"], logs);

        var progress = new List<(double, double?)>();
        await _client.CallToolAsync("test_tool_with_progress", progress: new Reporter(v => progress.Add((v.Progress, v.Total))));
        Assert.Equal([(0d, (double?)100d), (50d, 100d), (100d, 100d)], progress);
    }

    [Fact]
    public async Task Sampling_and_elicitation_tools_report_what_the_client_answered()
    {
        Assert.Equal("LLM response: This is a test response from the client", ((TextContentBlock)(await CallAsync("test_sampling", """{"prompt":"Test prompt"}""")).Content[0]).Text);
        Assert.Equal("""User response: action=accept, content={"username":"testuser","email":"test@example.com"}""", ((TextContentBlock)(await CallAsync("test_elicitation", """{"message":"Please provide"}""")).Content[0]).Text);

        await CallAsync("test_elicitation_sep1034_defaults");
        await CallAsync("test_elicitation_sep1330_enums");
        var defaults = _elicitationSchemas[1].GetProperty("properties");
        Assert.Equal("John Doe", defaults.GetProperty("name").GetProperty("default").GetString());
        Assert.Equal(30, defaults.GetProperty("age").GetProperty("default").GetInt32());
        Assert.Equal(95.5, defaults.GetProperty("score").GetProperty("default").GetDouble());
        Assert.Equal("active", defaults.GetProperty("status").GetProperty("default").GetString());
        Assert.True(defaults.GetProperty("verified").GetProperty("default").GetBoolean());
        var enums = _elicitationSchemas[2].GetProperty("properties");
        Assert.Equal(["untitledSingle", "titledSingle", "legacyEnum", "untitledMulti", "titledMulti"], enums.EnumerateObject().Select(p => p.Name));
        Assert.Equal("First Option", enums.GetProperty("titledSingle").GetProperty("oneOf")[0].GetProperty("title").GetString());
        Assert.Equal(3, enums.GetProperty("legacyEnum").GetProperty("enumNames").GetArrayLength());
    }

    [Fact]
    public async Task Resources_and_the_template_have_their_exact_contents()
    {
        var text = Assert.IsType<TextResourceContents>((await _client.ReadResourceAsync("test://static-text")).Contents[0]);
        Assert.Equal(("text/plain", "This is the content of the static text resource."), (text.MimeType, text.Text));
        var binary = Assert.IsType<BlobResourceContents>((await _client.ReadResourceAsync("test://static-binary")).Contents[0]);
        Assert.Equal("image/png", binary.MimeType);
        var templated = Assert.IsType<TextResourceContents>((await _client.ReadResourceAsync("test://template/123/data")).Contents[0]);
        Assert.Equal(("test://template/123/data", "application/json", """{"id":"123","templateTest":true,"data":"Data for ID: 123"}"""), (templated.Uri, templated.MimeType, templated.Text));
        await _client.SubscribeAsync("test://watched-resource");
        await _client.UnsubscribeAsync("test://watched-resource");
        Assert.All(await _client.EnumerateResourcesAsync().ToListAsync(), r => Assert.False(string.IsNullOrEmpty(r.Description)));
    }

    [Fact]
    public async Task Prompts_have_their_exact_messages()
    {
        Assert.Equal("This is a simple prompt for testing.", ((TextContentBlock)(await _client.GetPromptAsync("test_simple_prompt")).Messages[0].Content).Text);
        var withArgs = await _client.GetPromptAsync("test_prompt_with_arguments", new Dictionary<string, string> { ["arg1"] = "hello", ["arg2"] = "world" });
        Assert.Equal("Prompt with arguments: arg1='hello', arg2='world'", ((TextContentBlock)withArgs.Messages[0].Content).Text);
        var embedded = await _client.GetPromptAsync("test_prompt_with_embedded_resource", new Dictionary<string, string> { ["resourceUri"] = "test://example-resource" });
        var resource = Assert.IsType<TextResourceContents>(Assert.IsType<EmbeddedResourceBlock>(embedded.Messages[0].Content).Resource);
        Assert.Equal(("test://example-resource", "Embedded resource content for testing."), (resource.Uri, resource.Text));
        Assert.Equal("Please process the embedded resource above.", ((TextContentBlock)embedded.Messages[1].Content).Text);
        var image = await _client.GetPromptAsync("test_prompt_with_image");
        Assert.IsType<ImageContentBlock>(image.Messages[0].Content);
        Assert.Equal("Please analyze the image above.", ((TextContentBlock)image.Messages[1].Content).Text);
        Assert.All(await _client.EnumeratePromptsAsync().ToListAsync(), p => Assert.False(string.IsNullOrEmpty(p.Description)));
    }

    [Fact]
    public async Task Completion_answers_with_values()
    {
        var completion = await _client.CompleteAsync(new PromptReference { Name = "test_prompt_with_arguments" }, "arg1", "par");
        Assert.Equal(["paris", "park", "parrot"], completion.Values);
    }

    private sealed class Reporter(Action<ProgressNotificationValue> report) : IProgress<ProgressNotificationValue>
    {
        public void Report(ProgressNotificationValue value) => report(value);
    }
}

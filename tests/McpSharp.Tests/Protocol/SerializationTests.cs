using System.Text.Json;
using System.Text.Json.Nodes;
using McpSharp.Protocol;

namespace McpSharp.Tests.Protocol;

public class SerializationTests
{
    private static string Serialize<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info) => JsonSerializer.Serialize(value, info);

    private static void AssertJsonEqual(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"Expected {expected}\nActual   {actual}");

    [Fact]
    public void Initialize_result_has_the_schema_shape_with_camel_case_names_and_no_nulls()
    {
        var result = new InitializeResult
        {
            ProtocolVersion = "2025-11-25",
            Capabilities = new ServerCapabilities { Tools = new ListChangedCapability { ListChanged = true }, Logging = [] },
            ServerInfo = new Implementation { Name = "s", Version = "1" },
        };

        AssertJsonEqual(
            """{"protocolVersion":"2025-11-25","capabilities":{"logging":{},"tools":{"listChanged":true}},"serverInfo":{"name":"s","version":"1"}}""",
            Serialize(result, McpJsonContext.Default.InitializeResult));
    }

    [Theory]
    [InlineData("""{"type":"text","text":"hi"}""", typeof(TextContentBlock))]
    [InlineData("""{"type":"image","data":"AAA=","mimeType":"image/png"}""", typeof(ImageContentBlock))]
    [InlineData("""{"type":"audio","data":"AAA=","mimeType":"audio/wav"}""", typeof(AudioContentBlock))]
    [InlineData("""{"type":"resource_link","uri":"file:///a","name":"a"}""", typeof(ResourceLinkBlock))]
    [InlineData("""{"type":"resource","resource":{"uri":"file:///a","text":"x"}}""", typeof(EmbeddedResourceBlock))]
    [InlineData("""{"type":"tool_use","id":"u1","name":"t","input":{"a":1}}""", typeof(ToolUseContentBlock))]
    [InlineData("""{"type":"tool_result","toolUseId":"u1","content":[{"type":"text","text":"ok"}]}""", typeof(ToolResultContentBlock))]
    public void Content_blocks_are_discriminated_by_type_and_round_trip(string json, Type expectedType)
    {
        var block = JsonSerializer.Deserialize(json, McpJsonContext.Default.ContentBlock)!;
        Assert.IsType(expectedType, block);
        AssertJsonEqual(json, Serialize(block, McpJsonContext.Default.ContentBlock));
    }

    [Fact]
    public void Content_block_type_may_come_after_other_members()
    {
        var block = JsonSerializer.Deserialize("""{"text":"late","type":"text"}""", McpJsonContext.Default.ContentBlock);
        Assert.Equal("late", Assert.IsType<TextContentBlock>(block).Text);
    }

    [Fact]
    public void Unknown_fields_and_meta_survive_a_round_trip_unchanged()
    {
        const string json = """{"name":"t","inputSchema":{"type":"object","x-custom":[1,2]},"_meta":{"com.example/k":{"deep":true}},"futureField":{"a":[1,"b",null]},"annotations":{"readOnlyHint":true,"newHint":"v"}}""";
        var tool = JsonSerializer.Deserialize(json, McpJsonContext.Default.Tool)!;

        Assert.True(tool.AdditionalProperties!.ContainsKey("futureField"));
        Assert.True(tool.Meta!["com.example/k"]!["deep"]!.GetValue<bool>());
        AssertJsonEqual(json, Serialize(tool, McpJsonContext.Default.Tool));
    }

    [Fact]
    public void Capabilities_keep_unknown_keys()
    {
        const string json = """{"roots":{"listChanged":true},"sampling":{"tools":{}},"elicitation":{"form":{},"url":{}},"experimental":{"x":{}},"tasks":{"list":{}},"somethingNew":{"v":2}}""";
        var caps = JsonSerializer.Deserialize(json, McpJsonContext.Default.ClientCapabilities)!;
        Assert.True(caps.Elicitation!.SupportsUrl);
        AssertJsonEqual(json, Serialize(caps, McpJsonContext.Default.ClientCapabilities));
    }

    [Fact]
    public void Empty_elicitation_capability_means_form_mode_only()
    {
        var caps = JsonSerializer.Deserialize("""{"elicitation":{}}""", McpJsonContext.Default.ClientCapabilities)!;
        Assert.True(caps.Elicitation!.SupportsForm);
        Assert.False(caps.Elicitation.SupportsUrl);
    }

    [Fact]
    public void Resource_contents_are_text_or_blob_by_their_members()
    {
        var result = JsonSerializer.Deserialize("""{"contents":[{"uri":"a://1","text":"t"},{"uri":"a://2","mimeType":"image/png","blob":"AAA="}]}""", McpJsonContext.Default.ReadResourceResult)!;
        Assert.Equal("t", Assert.IsType<TextResourceContents>(result.Contents[0]).Text);
        Assert.Equal("AAA=", Assert.IsType<BlobResourceContents>(result.Contents[1]).Blob);
        AssertJsonEqual("""{"contents":[{"uri":"a://1","text":"t"},{"uri":"a://2","mimeType":"image/png","blob":"AAA="}]}""", Serialize(result, McpJsonContext.Default.ReadResourceResult));
    }

    [Fact]
    public void Sampling_content_may_be_one_block_or_an_array()
    {
        var single = JsonSerializer.Deserialize("""{"role":"assistant","content":{"type":"text","text":"a"},"model":"m"}""", McpJsonContext.Default.CreateMessageResult)!;
        var many = JsonSerializer.Deserialize("""{"role":"assistant","content":[{"type":"text","text":"a"},{"type":"tool_use","id":"1","name":"t","input":{}}],"model":"m","stopReason":"toolUse"}""", McpJsonContext.Default.CreateMessageResult)!;

        Assert.Single(single.Content);
        Assert.Equal(2, many.Content.Count);
        // One block is written as an object so that older clients understand it.
        Assert.StartsWith("""{"role":"assistant","content":{""", Serialize(single, McpJsonContext.Default.CreateMessageResult), StringComparison.Ordinal);
        Assert.Contains("\"content\":[", Serialize(many, McpJsonContext.Default.CreateMessageResult), StringComparison.Ordinal);
    }

    [Fact]
    public void Sampling_request_with_tools_has_the_schema_shape()
    {
        var request = new CreateMessageRequestParams
        {
            Messages = [new SamplingMessage { Role = Role.User, Content = [new TextContentBlock("q")] }],
            MaxTokens = 100,
            Tools = [new Tool { Name = "t", InputSchema = JsonDocument.Parse("""{"type":"object"}""").RootElement }],
            ToolChoice = new ToolChoice { Mode = "auto" },
        };
        AssertJsonEqual(
            """{"messages":[{"role":"user","content":{"type":"text","text":"q"}}],"maxTokens":100,"tools":[{"name":"t","inputSchema":{"type":"object"}}],"toolChoice":{"mode":"auto"}}""",
            Serialize(request, McpJsonContext.Default.CreateMessageRequestParams));
    }

    [Fact]
    public void Elicitation_url_mode_round_trips()
    {
        const string json = """{"mode":"url","message":"m","elicitationId":"e1","url":"https://example.com/x"}""";
        var request = JsonSerializer.Deserialize(json, McpJsonContext.Default.ElicitRequestParams)!;
        Assert.True(request.IsUrlMode);
        AssertJsonEqual(json, Serialize(request, McpJsonContext.Default.ElicitRequestParams));
    }

    [Fact]
    public void Completion_references_are_discriminated()
    {
        var request = JsonSerializer.Deserialize("""{"ref":{"type":"ref/resource","uri":"a://{x}"},"argument":{"name":"x","value":"p"}}""", McpJsonContext.Default.CompleteRequestParams)!;
        Assert.Equal("a://{x}", Assert.IsType<ResourceTemplateReference>(request.Ref).Uri);
    }

    [Fact]
    public void Logging_levels_use_the_rfc_5424_names()
    {
        Assert.Equal(
            """{"level":"emergency","data":"x"}""",
            Serialize(new LoggingMessageNotificationParams { Level = LoggingLevel.Emergency, Data = JsonDocument.Parse("\"x\"").RootElement }, McpJsonContext.Default.LoggingMessageNotificationParams));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{"level":"verbose"}""", McpJsonContext.Default.SetLevelRequestParams));
    }

    [Fact]
    public void Missing_required_members_fail_to_deserialize()
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{"arguments":{}}""", McpJsonContext.Default.CallToolRequestParams));
    }

    [Fact]
    public void Progress_notification_keeps_the_token_type()
    {
        AssertJsonEqual("""{"progressToken":7,"progress":0.5,"total":1}""", Serialize(new ProgressNotificationParams { ProgressToken = new ProgressToken(7), Progress = 0.5, Total = 1 }, McpJsonContext.Default.ProgressNotificationParams));
        AssertJsonEqual("""{"progressToken":"7","progress":1}""", Serialize(new ProgressNotificationParams { ProgressToken = new ProgressToken("7"), Progress = 1 }, McpJsonContext.Default.ProgressNotificationParams));
    }
}

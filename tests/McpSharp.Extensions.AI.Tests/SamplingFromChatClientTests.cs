using System.Text.Json;
using McpSharp.Protocol;
using Microsoft.Extensions.AI;

namespace McpSharp.Extensions.AI.Tests;

/// <summary>The sampling handler made from an IChatClient: the request as the chat client sees it, and its answer as the server gets it.</summary>
public sealed class SamplingFromChatClientTests
{
    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    [Fact]
    public async Task Messages_images_options_and_tools_reach_the_chat_client_and_a_function_call_comes_back_as_tool_use()
    {
        var model = new ScriptedChatClient((_, _) => new ChatResponse(new ChatMessage(ChatRole.Assistant,
            [new TextContent("Let me look."), new FunctionCallContent("use-2", "weather", new Dictionary<string, object?> { ["city"] = Json("\"Oslo\"") })]))
        {
            ModelId = "model-x",
            FinishReason = ChatFinishReason.ToolCalls,
        });
        var handler = model.AsSamplingHandler(new ChatClientSamplingOptions { SelectModel = p => p?.Hints?[0].Name });

        var result = await handler(new CreateMessageRequestParams
        {
            SystemPrompt = "Be brief.",
            MaxTokens = 50,
            Temperature = 0.25,
            StopSequences = ["END"],
            ModelPreferences = new ModelPreferences { Hints = [new ModelHint { Name = "model-x" }] },
            Tools = [new Tool { Name = "weather", Description = "Weather in a city.", InputSchema = Json("""{"type":"object","properties":{"city":{"type":"string"}}}""") }],
            ToolChoice = new ToolChoice { Mode = "required" },
            Messages =
            [
                new SamplingMessage { Role = Role.User, Content = [new TextContentBlock("What is in this picture, and the weather?"), new ImageContentBlock { Data = "iVBORw0=", MimeType = "image/png" }] },
                new SamplingMessage { Role = Role.Assistant, Content = [new ToolUseContentBlock { Id = "use-1", Name = "weather", Input = Json("""{"city":"Bergen"}""") }] },
                new SamplingMessage { Role = Role.User, Content = [new ToolResultContentBlock { ToolUseId = "use-1", Content = [new TextContentBlock("rain")] }] },
            ],
        }, CancellationToken.None);

        var (messages, options) = Assert.Single(model.Calls);
        Assert.Equal([ChatRole.System, ChatRole.User, ChatRole.Assistant, ChatRole.Tool], messages.Select(m => m.Role));
        Assert.Equal("Be brief.", messages[0].Text);
        var image = Assert.IsType<DataContent>(messages[1].Contents[1]);
        Assert.Equal(("image/png", "iVBORw0="), (image.MediaType, image.Base64Data.ToString()));
        var call = Assert.IsType<FunctionCallContent>(Assert.Single(messages[2].Contents));
        Assert.Equal(("use-1", "weather", "Bergen"), (call.CallId, call.Name, ((JsonElement)call.Arguments!["city"]!).GetString()));
        var toolResult = Assert.IsType<FunctionResultContent>(Assert.Single(messages[3].Contents));
        Assert.Equal(("use-1", "rain"), (toolResult.CallId, toolResult.Result));

        Assert.Equal(50, options!.MaxOutputTokens);
        Assert.Equal(0.25f, options.Temperature);
        Assert.Equal(["END"], options.StopSequences!);
        Assert.Equal("model-x", options.ModelId);
        Assert.Equal(ChatToolMode.RequireAny, options.ToolMode);
        var declaration = Assert.IsAssignableFrom<AIFunctionDeclaration>(Assert.Single(options.Tools!));
        Assert.IsNotAssignableFrom<AIFunction>(declaration); // declared only: the server runs its tools, not the chat client
        Assert.Equal(("weather", "Weather in a city."), (declaration.Name, declaration.Description));

        Assert.Equal(Role.Assistant, result.Role);
        Assert.Equal("model-x", result.Model);
        Assert.Equal("toolUse", result.StopReason);
        Assert.Equal("Let me look.", Assert.IsType<TextContentBlock>(result.Content[0]).Text);
        var use = Assert.IsType<ToolUseContentBlock>(result.Content[1]);
        Assert.Equal(("use-2", "weather", "Oslo"), (use.Id, use.Name, use.Input.GetProperty("city").GetString()));
    }

    [Theory]
    [InlineData("stop", "endTurn")]
    [InlineData("length", "maxTokens")]
    [InlineData("content_filter", "content_filter")]
    public async Task The_finish_reason_becomes_the_stop_reason(string finish, string stop)
    {
        var model = new ScriptedChatClient((_, _) => new ChatResponse(new ChatMessage(ChatRole.Assistant, "x")) { FinishReason = new ChatFinishReason(finish) });

        var result = await model.AsSamplingHandler()(new CreateMessageRequestParams { MaxTokens = 5, Messages = [new SamplingMessage { Role = Role.User, Content = [new TextContentBlock("q")] }] }, CancellationToken.None);

        Assert.Equal(stop, result.StopReason);
        Assert.Equal("unknown", result.Model); // the response named no model, and none was chosen
        Assert.Null(model.Calls[0].Options!.ModelId);
        Assert.Null(model.Calls[0].Options!.Tools);
    }

    [Fact]
    public async Task A_failed_tool_result_reaches_the_chat_client_as_error_content_and_structured_results_as_json()
    {
        var model = new ScriptedChatClient((_, _) => new ChatResponse(new ChatMessage(ChatRole.Assistant, "x")));

        await model.AsSamplingHandler()(new CreateMessageRequestParams
        {
            MaxTokens = 5,
            Messages =
            [
                new SamplingMessage { Role = Role.Assistant, Content = [new ToolUseContentBlock { Id = "u1", Name = "t", Input = Json("{}") }, new ToolUseContentBlock { Id = "u2", Name = "t", Input = Json("{}") }] },
                new SamplingMessage
                {
                    Role = Role.User,
                    Content =
                    [
                        new ToolResultContentBlock { ToolUseId = "u1", IsError = true, Content = [new TextContentBlock("city unknown")] },
                        new ToolResultContentBlock { ToolUseId = "u2", StructuredContent = Json("""{"ok":true}"""), Content = [new TextContentBlock("""{"ok":true}""")] },
                    ],
                },
            ],
        }, CancellationToken.None);

        var results = model.Calls[0].Messages[1].Contents.Cast<FunctionResultContent>().ToArray();
        Assert.Equal(ChatRole.Tool, model.Calls[0].Messages[1].Role);
        var error = Assert.IsType<ErrorContent>(Assert.Single(Assert.IsType<List<AIContent>>(results[0].Result)));
        Assert.Equal("city unknown", error.Message);
        Assert.True(Assert.IsType<JsonElement>(results[1].Result).GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task Tool_choice_none_offers_no_tools()
    {
        var model = new ScriptedChatClient((_, _) => new ChatResponse(new ChatMessage(ChatRole.Assistant, "x")));

        await model.AsSamplingHandler()(new CreateMessageRequestParams
        {
            MaxTokens = 5,
            Tools = [new Tool { Name = "t", InputSchema = Json("""{"type":"object"}""") }],
            ToolChoice = new ToolChoice { Mode = "none" },
            Messages = [new SamplingMessage { Role = Role.User, Content = [new TextContentBlock("q")] }],
        }, CancellationToken.None);

        Assert.Null(model.Calls[0].Options!.Tools);
        Assert.Equal(ChatToolMode.None, model.Calls[0].Options!.ToolMode);
    }
}

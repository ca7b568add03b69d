using System.Text.Json;
using McpSharp.AspNetCore;
using McpSharp.Protocol;
using McpSharp.Server;
using static ConformanceServer.Fixture;

namespace ConformanceServer;

/// <summary>The fixture's tools of the 2025 scenarios (the 2026-07-28 ones are in <see cref="PerRequestTools"/>).</summary>
internal static class Tools
{
    public static void Register(McpServer server)
    {
        server.Tools.Add(Tool("test_simple_text", "Tests simple text content response"),
            static _ => ValueTask.FromResult(CallToolResult.FromText("This is a simple text response for testing.")));
        server.Tools.Add(Tool("test_image_content", "Tests image content response"),
            static _ => ValueTask.FromResult(new CallToolResult { Content = [new ImageContentBlock { Data = Png, MimeType = "image/png" }] }));
        server.Tools.Add(Tool("test_audio_content", "Tests audio content response"),
            static _ => ValueTask.FromResult(new CallToolResult { Content = [new AudioContentBlock { Data = Wav, MimeType = "audio/wav" }] }));
        server.Tools.Add(Tool("test_embedded_resource", "Tests embedded resource content response"),
            static _ => ValueTask.FromResult(new CallToolResult
            {
                Content = [new EmbeddedResourceBlock { Resource = new TextResourceContents { Uri = "test://embedded-resource", MimeType = "text/plain", Text = "This is an embedded resource content." } }],
            }));
        server.Tools.Add(Tool("test_multiple_content_types", "Tests response with multiple content types (text, image, resource)"),
            static _ => ValueTask.FromResult(new CallToolResult
            {
                Content =
                [
                    new TextContentBlock("Multiple content types test:"),
                    new ImageContentBlock { Data = Png, MimeType = "image/png" },
                    new EmbeddedResourceBlock { Resource = new TextResourceContents { Uri = "test://mixed-content-resource", MimeType = "application/json", Text = """{"test":"data","value":123}""" } },
                ],
            }));
        server.Tools.Add(Tool("test_tool_with_logging", "Tests tool that emits log messages during execution"), static async ctx =>
        {
            await ctx.LogAsync(LoggingLevel.Info, "Tool execution started");
            await Task.Delay(50, ctx.CancellationToken);
            await ctx.LogAsync(LoggingLevel.Info, "Tool processing data");
            await Task.Delay(50, ctx.CancellationToken);
            await ctx.LogAsync(LoggingLevel.Info, "Tool execution completed");
            return CallToolResult.FromText("Tool with logging executed successfully");
        });
        server.Tools.Add(Tool("test_tool_with_progress", "Tests tool that reports progress notifications"), static async ctx =>
        {
            foreach (int step in new[] { 0, 50, 100 })
            {
                ctx.Progress.Report(new ProgressNotificationValue(step, 100, $"Progress {step}%"));
                await Task.Delay(50, ctx.CancellationToken);
            }

            return CallToolResult.FromText("Tool with progress executed successfully");
        });
        server.Tools.Add(Tool("test_error_handling", "Tests error response handling"),
            static _ => ValueTask.FromResult(CallToolResult.FromError("This tool intentionally returns an error for testing")));
        server.Tools.Add(Tool("test_sampling", "Tests server-initiated sampling (LLM completion request)", Json("""{"type":"object","properties":{"prompt":{"type":"string","description":"The prompt to send to the LLM"}},"required":["prompt"]}""")), static async ctx =>
        {
            string prompt = ctx.Params.Arguments?["prompt"].GetString() ?? string.Empty;
            var result = await ctx.SampleAsync(new CreateMessageRequestParams
            {
                Messages = [new SamplingMessage { Role = Role.User, Content = [new TextContentBlock(prompt)] }],
                MaxTokens = 100,
            });
            string text = result.Content.OfType<TextContentBlock>().FirstOrDefault()?.Text ?? string.Empty;
            return CallToolResult.FromText($"LLM response: {text}");
        });
        server.Tools.Add(Tool("test_elicitation", "Tests server-initiated elicitation (user input request)", Json("""{"type":"object","properties":{"message":{"type":"string","description":"The message to show the user"}},"required":["message"]}""")), static async ctx =>
        {
            var result = await ctx.ElicitAsync(new ElicitRequestParams
            {
                Message = ctx.Params.Arguments?["message"].GetString() ?? "Please provide your information",
                RequestedSchema = Json("""{"type":"object","properties":{"username":{"type":"string","description":"User's response"},"email":{"type":"string","description":"User's email address"}},"required":["username","email"]}"""),
            });
            return CallToolResult.FromText($"User response: action={result.Action}, content={JsonSerializer.Serialize(result.Content ?? [], McpJsonContext.Default.DictionaryStringJsonElement)}");
        });
        server.Tools.Add(Tool("test_elicitation_sep1034_defaults", "Tests elicitation with default values per SEP-1034"), static async ctx =>
        {
            var result = await ctx.ElicitAsync(new ElicitRequestParams
            {
                Message = "Please review and update the form fields with defaults",
                RequestedSchema = Json("""{"type":"object","properties":{"name":{"type":"string","description":"User name","default":"John Doe"},"age":{"type":"integer","description":"User age","default":30},"score":{"type":"number","description":"User score","default":95.5},"status":{"type":"string","description":"User status","enum":["active","inactive","pending"],"default":"active"},"verified":{"type":"boolean","description":"Verification status","default":true}},"required":[]}"""),
            });
            return CallToolResult.FromText($"Elicitation completed: action={result.Action}, content={JsonSerializer.Serialize(result.Content ?? [], McpJsonContext.Default.DictionaryStringJsonElement)}");
        });
        server.Tools.Add(Tool("test_elicitation_sep1330_enums", "Tests elicitation with enum schema improvements per SEP-1330"), static async ctx =>
        {
            var result = await ctx.ElicitAsync(new ElicitRequestParams
            {
                Message = "Please select options from the enum fields",
                RequestedSchema = Json("""
                    {"type":"object","properties":{
                      "untitledSingle":{"type":"string","description":"Select one option","enum":["option1","option2","option3"]},
                      "titledSingle":{"type":"string","description":"Select one option with titles","oneOf":[{"const":"value1","title":"First Option"},{"const":"value2","title":"Second Option"},{"const":"value3","title":"Third Option"}]},
                      "legacyEnum":{"type":"string","description":"Select one option (legacy)","enum":["opt1","opt2","opt3"],"enumNames":["Option One","Option Two","Option Three"]},
                      "untitledMulti":{"type":"array","description":"Select multiple options","minItems":1,"maxItems":3,"items":{"type":"string","enum":["option1","option2","option3"]}},
                      "titledMulti":{"type":"array","description":"Select multiple options with titles","minItems":1,"maxItems":3,"items":{"anyOf":[{"const":"value1","title":"First Choice"},{"const":"value2","title":"Second Choice"},{"const":"value3","title":"Third Choice"}]}}
                    },"required":[]}
                    """),
            });
            return CallToolResult.FromText($"Elicitation completed: action={result.Action}, content={JsonSerializer.Serialize(result.Content ?? [], McpJsonContext.Default.DictionaryStringJsonElement)}");
        });
        server.Tools.Add(Tool("json_schema_2020_12_tool", "Tool with JSON Schema 2020-12 features", Json("""
            {"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object",
             "$defs":{"address":{"$anchor":"addressDef","type":"object","properties":{"street":{"type":"string"},"city":{"type":"string"}}}},
             "properties":{"name":{"type":"string"},"address":{"$ref":"#/$defs/address"},"contactMethod":{"type":"string","enum":["phone","email"]},"phone":{"type":"string"},"email":{"type":"string"}},
             "allOf":[{"anyOf":[{"required":["phone"]},{"required":["email"]}]}],
             "if":{"properties":{"contactMethod":{"const":"phone"}},"required":["contactMethod"]},
             "then":{"required":["phone"]},"else":{"required":["email"]},"additionalProperties":false}
            """)),
            static ctx => ValueTask.FromResult(CallToolResult.FromText($"JSON Schema 2020-12 tool called with: {JsonSerializer.Serialize(ctx.Params.Arguments ?? [], McpJsonContext.Default.DictionaryStringJsonElement)}")));
        server.Tools.Add(Tool("test_reconnection", "Tests SSE stream disconnection and client reconnection (SEP-1699)"), static async ctx =>
        {
            // Close this call's SSE connection after its priming event; the client resumes with GET + Last-Event-ID.
            ctx.CloseSseConnection();
            await Task.Delay(100, ctx.CancellationToken);
            return CallToolResult.FromText("Reconnection test completed successfully. If you received this, the client properly reconnected after stream closure.");
        });
    }
}

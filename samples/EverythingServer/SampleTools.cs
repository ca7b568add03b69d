using System.Globalization;
using System.Text.Json;
using McpSharp.Protocol;
using McpSharp.Server;

namespace EverythingServer;

/// <summary>The sample's tools, registered with the low-level API (name, schema, delegate).</summary>
internal static class SampleTools
{
    public static void Register(McpServer server)
    {
        server.Tools.Add(
            new Tool
            {
                Name = "echo",
                Description = "Echoes the message back.",
                InputSchema = SampleData.Schema("""{"type":"object","properties":{"message":{"type":"string","description":"Text to echo"}},"required":["message"],"additionalProperties":false}"""),
                Annotations = new ToolAnnotations { ReadOnlyHint = true, OpenWorldHint = false },
            },
            static ctx => ValueTask.FromResult(CallToolResult.FromText("Echo: " + SampleData.GetString(ctx.Params.Arguments, "message"))));

        server.Tools.Add(
            new Tool
            {
                Name = "add",
                Description = "Adds two numbers.",
                InputSchema = SampleData.Schema("""{"type":"object","properties":{"a":{"type":"number"},"b":{"type":"number"}},"required":["a","b"],"additionalProperties":false}"""),
                Annotations = new ToolAnnotations { ReadOnlyHint = true, IdempotentHint = true, OpenWorldHint = false },
            },
            static ctx =>
            {
                double sum = SampleData.GetNumber(ctx.Params.Arguments, "a") + SampleData.GetNumber(ctx.Params.Arguments, "b");
                return ValueTask.FromResult(CallToolResult.FromText(sum.ToString(CultureInfo.InvariantCulture)));
            });

        server.Tools.Add(
            new Tool
            {
                Name = "long_running_operation",
                Description = "Works for a while in steps, reporting progress; honours cancellation.",
                InputSchema = SampleData.Schema("""{"type":"object","properties":{"duration":{"type":"number","description":"Seconds in all","default":10},"steps":{"type":"number","description":"Number of steps","default":5}}}"""),
            },
            LongRunningAsync);

        server.Tools.Add(
            new Tool
            {
                Name = "log_messages",
                Description = "Sends one log message at every level; the client sees those at or above its logging/setLevel.",
                InputSchema = SampleData.Schema("""{"type":"object","additionalProperties":false}"""),
            },
            static async ctx =>
            {
                foreach (var level in Enum.GetValues<LoggingLevel>())
                {
                    await ctx.LogAsync(level, $"A {level.ToString().ToLowerInvariant()} message", "everything");
                }

                return CallToolResult.FromText("Sent one log message per level.");
            });

        server.Tools.Add(
            new Tool
            {
                Name = "sample_llm",
                Description = "Asks the client's model to answer a prompt (sampling).",
                InputSchema = SampleData.Schema("""{"type":"object","properties":{"prompt":{"type":"string"},"maxTokens":{"type":"number","default":100}},"required":["prompt"]}"""),
            },
            static async ctx =>
            {
                var result = await ctx.SampleAsync(new CreateMessageRequestParams
                {
                    Messages = [new SamplingMessage { Role = Role.User, Content = [new TextContentBlock(SampleData.GetString(ctx.Params.Arguments, "prompt"))] }],
                    MaxTokens = (int)SampleData.GetNumber(ctx.Params.Arguments, "maxTokens", 100),
                });
                string text = result.Content.OfType<TextContentBlock>().FirstOrDefault()?.Text ?? "(no text)";
                return CallToolResult.FromText($"LLM ({result.Model}) said: {text}");
            });

        server.Tools.Add(
            new Tool
            {
                Name = "elicit_user",
                Description = "Asks the user for their name and age (elicitation, form mode).",
                InputSchema = SampleData.Schema("""{"type":"object","additionalProperties":false}"""),
            },
            static async ctx =>
            {
                var result = await ctx.ElicitAsync(new ElicitRequestParams
                {
                    Message = "Please tell us about yourself.",
                    RequestedSchema = SampleData.Schema("""{"type":"object","properties":{"name":{"type":"string","title":"Name"},"age":{"type":"integer","minimum":0,"default":30}},"required":["name"]}"""),
                });
                return result.Action == "accept" && result.Content is { } content
                    ? CallToolResult.FromText($"Hello {content.GetValueOrDefault("name")}, age {content.GetValueOrDefault("age")}.")
                    : CallToolResult.FromText($"The user chose to {result.Action}.");
            });

        server.Tools.Add(
            new Tool { Name = "get_image", Description = "Returns an image.", InputSchema = SampleData.Schema("""{"type":"object"}""") },
            static _ => ValueTask.FromResult(new CallToolResult { Content = [new ImageContentBlock { Data = SampleData.PngBase64, MimeType = "image/png" }] }));

        server.Tools.Add(
            new Tool { Name = "get_audio", Description = "Returns a short audio clip.", InputSchema = SampleData.Schema("""{"type":"object"}""") },
            static _ => ValueTask.FromResult(new CallToolResult { Content = [new AudioContentBlock { Data = SampleData.WavBase64, MimeType = "audio/wav" }] }));

        server.Tools.Add(
            new Tool { Name = "get_resource_links", Description = "Returns links to resources.", InputSchema = SampleData.Schema("""{"type":"object"}""") },
            static _ => ValueTask.FromResult(new CallToolResult
            {
                Content =
                [
                    new TextContentBlock("Two resources you can read:"),
                    new ResourceLinkBlock { Uri = "sample://static/text", Name = "static-text", MimeType = "text/plain" },
                    new ResourceLinkBlock { Uri = "sample://static/binary", Name = "static-binary", MimeType = "image/png" },
                ],
            }));

        server.Tools.Add(
            new Tool { Name = "get_embedded_resource", Description = "Returns a resource embedded in the result.", InputSchema = SampleData.Schema("""{"type":"object"}""") },
            static _ => ValueTask.FromResult(new CallToolResult
            {
                Content = [new EmbeddedResourceBlock { Resource = new TextResourceContents { Uri = "sample://static/text", MimeType = "text/plain", Text = SampleResources.StaticText } }],
            }));

        server.Tools.Add(
            new Tool
            {
                Name = "get_weather",
                Description = "Returns structured weather data for a city (structured output).",
                InputSchema = SampleData.Schema("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}"""),
                OutputSchema = SampleData.Schema("""{"type":"object","properties":{"city":{"type":"string"},"temperatureC":{"type":"number"},"conditions":{"type":"string"}},"required":["city","temperatureC","conditions"]}"""),
            },
            static ctx =>
            {
                string city = SampleData.GetString(ctx.Params.Arguments, "city");
                var structured = SampleData.Schema($$"""{"city":{{JsonSerializer.Serialize(city, McpJsonContext.Default.String)}},"temperatureC":21.5,"conditions":"sunny"}""");

                // TOOL-STRUCTURED-TEXT: the same JSON as text, for clients that predate structured output.
                return ValueTask.FromResult(new CallToolResult { Content = [new TextContentBlock(structured.GetRawText())], StructuredContent = structured });
            });

        server.Tools.Add(
            new Tool
            {
                Name = "touch_resource",
                Description = "Marks a resource as changed: subscribers get notifications/resources/updated.",
                InputSchema = SampleData.Schema("""{"type":"object","properties":{"uri":{"type":"string"}},"required":["uri"]}"""),
            },
            static async ctx =>
            {
                string uri = SampleData.GetString(ctx.Params.Arguments, "uri");
                await ctx.Server.NotifyResourceUpdatedAsync(uri);
                return CallToolResult.FromText($"Updated {uri}.");
            });
    }

    private static async ValueTask<CallToolResult> LongRunningAsync(McpRequestContext<CallToolRequestParams> ctx)
    {
        double duration = SampleData.GetNumber(ctx.Params.Arguments, "duration", 10);
        int steps = Math.Max(1, (int)SampleData.GetNumber(ctx.Params.Arguments, "steps", 5));
        var delay = TimeSpan.FromSeconds(duration / steps);
        for (int step = 1; step <= steps; step++)
        {
            await Task.Delay(delay, ctx.CancellationToken);
            ctx.Progress.Report(new ProgressNotificationValue(step, steps, $"Step {step} of {steps}"));
        }

        return CallToolResult.FromText($"Long running operation completed: {steps} steps in {duration} s.");
    }
}

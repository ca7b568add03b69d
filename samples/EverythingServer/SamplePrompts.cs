using McpSharp.Protocol;
using McpSharp.Server;

namespace EverythingServer;

/// <summary>The sample's prompts: without arguments, with arguments, and with an embedded resource.</summary>
internal static class SamplePrompts
{
    public static readonly string[] Styles = ["casual", "formal", "poetic", "technical"];

    public static void Register(McpServer server)
    {
        server.Prompts.Add(
            new Prompt { Name = "simple_prompt", Description = "A prompt without arguments." },
            static _ => ValueTask.FromResult(new GetPromptResult
            {
                Messages = [new PromptMessage { Role = Role.User, Content = new TextContentBlock("This is a simple prompt without arguments.") }],
            }));

        server.Prompts.Add(
            new Prompt
            {
                Name = "complex_prompt",
                Description = "A prompt with arguments.",
                Arguments =
                [
                    new PromptArgument { Name = "temperature", Description = "Temperature setting", Required = true },
                    new PromptArgument { Name = "style", Description = "Output style (completable)", Required = false },
                ],
            },
            static ctx =>
            {
                var args = ctx.Params.Arguments!;
                string style = args.GetValueOrDefault("style") ?? "casual";
                return ValueTask.FromResult(new GetPromptResult
                {
                    Description = "A prompt with arguments.",
                    Messages =
                    [
                        new PromptMessage { Role = Role.User, Content = new TextContentBlock($"This is a complex prompt with arguments: temperature={args["temperature"]}, style={style}") },
                        new PromptMessage { Role = Role.Assistant, Content = new TextContentBlock("I understand. How can I help?") },
                    ],
                });
            });

        server.Prompts.Add(
            new Prompt
            {
                Name = "resource_prompt",
                Description = "A prompt that embeds a resource.",
                Arguments = [new PromptArgument { Name = "resourceId", Description = "Document number, 01-20", Required = true }],
            },
            static ctx =>
            {
                string id = ctx.Params.Arguments!["resourceId"];
                return ValueTask.FromResult(new GetPromptResult
                {
                    Messages =
                    [
                        new PromptMessage
                        {
                            Role = Role.User,
                            Content = new EmbeddedResourceBlock { Resource = new TextResourceContents { Uri = $"sample://docs/{id}", MimeType = "text/plain", Text = $"Document {id}" } },
                        },
                        new PromptMessage { Role = Role.User, Content = new TextContentBlock("Please summarise the document above.") },
                    ],
                });
            });
    }
}

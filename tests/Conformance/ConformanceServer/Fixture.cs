using System.Text.Json;
using McpSharp.AspNetCore;
using McpSharp.Protocol;
using McpSharp.Server;

namespace ConformanceServer;

/// <summary>The tools, resources, prompts and completions the conformance suite's server scenarios expect.</summary>
public static class Fixture
{
    /// <summary>A 1x1 PNG.</summary>
    public const string Png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";

    /// <summary>A minimal WAV (44-byte header, silence).</summary>
    public const string Wav = "UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAEAfAAABAAgAZGF0YQAAAAA=";

    public static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static readonly JsonElement NoArguments = Json("""{"type":"object","properties":{}}""");

    public static void Register(McpServer server)
    {
        Tools.Register(server);
        PerRequestTools.Register(server);
        TaskTools.Register(server);
        RegisterResources(server);
        RegisterPrompts(server);
        server.CompletionHandler = static ctx =>
        {
            // Values for test_prompt_with_arguments' arguments, filtered by what was typed.
            string[] candidates = ["paris", "park", "parrot", "hello", "world"];
            var values = candidates.Where(c => c.StartsWith(ctx.Params.Argument.Value, StringComparison.OrdinalIgnoreCase)).ToArray();
            return ValueTask.FromResult(new Completion { Values = values, Total = values.Length, HasMore = false });
        };
    }

    internal static Tool Tool(string name, string description, JsonElement? schema = null) =>
        new() { Name = name, Description = description, InputSchema = schema ?? NoArguments };

    private static void RegisterResources(McpServer server)
    {
        server.Resources.Add(
            new Resource { Uri = "test://static-text", Name = "Static Text Resource", Description = "A static text resource for testing", MimeType = "text/plain" },
            static ctx => ValueTask.FromResult(new ReadResourceResult { Contents = [new TextResourceContents { Uri = ctx.Params.Uri, MimeType = "text/plain", Text = "This is the content of the static text resource." }] }));
        server.Resources.Add(
            new Resource { Uri = "test://static-binary", Name = "Static Binary Resource", Description = "A static binary resource (PNG) for testing", MimeType = "image/png" },
            static ctx => ValueTask.FromResult(new ReadResourceResult { Contents = [new BlobResourceContents { Uri = ctx.Params.Uri, MimeType = "image/png", Blob = Png }] }));
        server.Resources.Add(
            new Resource { Uri = "test://watched-resource", Name = "Watched Resource", Description = "A resource that can be subscribed to", MimeType = "text/plain" },
            static ctx => ValueTask.FromResult(new ReadResourceResult { Contents = [new TextResourceContents { Uri = ctx.Params.Uri, MimeType = "text/plain", Text = "Watched resource content." }] }));
        server.ResourceTemplates.Add(
            new ResourceTemplate { UriTemplate = "test://template/{id}/data", Name = "Template Resource", Description = "A resource template with an id parameter", MimeType = "application/json" },
            static (ctx, variables) =>
            {
                string id = variables["id"];
                string text = JsonSerializer.Serialize(new Dictionary<string, JsonElement>
                {
                    ["id"] = JsonSerializer.SerializeToElement(id, McpJsonContext.Default.String),
                    ["templateTest"] = Json("true"),
                    ["data"] = JsonSerializer.SerializeToElement($"Data for ID: {id}", McpJsonContext.Default.String),
                }, McpJsonContext.Default.DictionaryStringJsonElement);
                return ValueTask.FromResult(new ReadResourceResult { Contents = [new TextResourceContents { Uri = ctx.Params.Uri, MimeType = "application/json", Text = text }] });
            });
    }

    private static void RegisterPrompts(McpServer server)
    {
        server.Prompts.Add(
            new Prompt { Name = "test_simple_prompt", Description = "A simple prompt without arguments" },
            static _ => ValueTask.FromResult(new GetPromptResult { Messages = [new PromptMessage { Role = Role.User, Content = new TextContentBlock("This is a simple prompt for testing.") }] }));
        server.Prompts.Add(
            new Prompt
            {
                Name = "test_prompt_with_arguments",
                Description = "A prompt with required arguments",
                Arguments = [new PromptArgument { Name = "arg1", Description = "First test argument", Required = true }, new PromptArgument { Name = "arg2", Description = "Second test argument", Required = true }],
            },
            static ctx => ValueTask.FromResult(new GetPromptResult
            {
                Messages = [new PromptMessage { Role = Role.User, Content = new TextContentBlock($"Prompt with arguments: arg1='{ctx.Params.Arguments!["arg1"]}', arg2='{ctx.Params.Arguments["arg2"]}'") }],
            }));
        server.Prompts.Add(
            new Prompt
            {
                Name = "test_prompt_with_embedded_resource",
                Description = "A prompt that includes an embedded resource",
                Arguments = [new PromptArgument { Name = "resourceUri", Description = "URI of the resource to embed", Required = true }],
            },
            static ctx => ValueTask.FromResult(new GetPromptResult
            {
                Messages =
                [
                    new PromptMessage { Role = Role.User, Content = new EmbeddedResourceBlock { Resource = new TextResourceContents { Uri = ctx.Params.Arguments!["resourceUri"], MimeType = "text/plain", Text = "Embedded resource content for testing." } } },
                    new PromptMessage { Role = Role.User, Content = new TextContentBlock("Please process the embedded resource above.") },
                ],
            }));
        server.Prompts.Add(
            new Prompt { Name = "test_prompt_with_image", Description = "A prompt that includes an image" },
            static _ => ValueTask.FromResult(new GetPromptResult
            {
                Messages =
                [
                    new PromptMessage { Role = Role.User, Content = new ImageContentBlock { Data = Png, MimeType = "image/png" } },
                    new PromptMessage { Role = Role.User, Content = new TextContentBlock("Please analyze the image above.") },
                ],
            }));
    }
}

using System.Globalization;
using McpSharp.Protocol;
using McpSharp.Server;

namespace EverythingServer;

/// <summary>The sample's resources: static text and binary, twenty documents (to page through), a template.</summary>
internal static class SampleResources
{
    public const string StaticText = "This is the content of the static text resource.";

    public static readonly string[] Names = ["alice", "bob", "carol", "dave", "erin"];

    public static void Register(McpServer server)
    {
        server.Resources.Add(
            new Resource { Uri = "sample://static/text", Name = "static-text", Description = "A fixed text resource.", MimeType = "text/plain" },
            static ctx => ValueTask.FromResult(new ReadResourceResult { Contents = [new TextResourceContents { Uri = ctx.Params.Uri, MimeType = "text/plain", Text = StaticText }] }));

        server.Resources.Add(
            new Resource { Uri = "sample://static/binary", Name = "static-binary", Description = "A fixed binary resource (PNG).", MimeType = "image/png" },
            static ctx => ValueTask.FromResult(new ReadResourceResult { Contents = [new BlobResourceContents { Uri = ctx.Params.Uri, MimeType = "image/png", Blob = SampleData.PngBase64 }] }));

        for (int i = 1; i <= 20; i++)
        {
            string id = i.ToString("00", CultureInfo.InvariantCulture);
            server.Resources.Add(
                new Resource { Uri = $"sample://docs/{id}", Name = $"doc-{id}", Description = $"Document {id}.", MimeType = "text/plain" },
                ctx => ValueTask.FromResult(new ReadResourceResult { Contents = [new TextResourceContents { Uri = ctx.Params.Uri, MimeType = "text/plain", Text = $"Document {id}" }] }));
        }

        server.ResourceTemplates.Add(
            new ResourceTemplate { UriTemplate = "sample://greeting/{name}", Name = "greeting", Description = "A greeting for anyone.", MimeType = "text/plain" },
            static (ctx, variables) => ValueTask.FromResult(new ReadResourceResult
            {
                Contents = [new TextResourceContents { Uri = ctx.Params.Uri, MimeType = "text/plain", Text = $"Hello, {variables["name"]}!" }],
            }));

        server.CompletionHandler = static ctx =>
        {
            string prefix = ctx.Params.Argument.Value;
            IEnumerable<string> candidates = (ctx.Params.Ref, ctx.Params.Argument.Name) switch
            {
                (ResourceTemplateReference { Uri: "sample://greeting/{name}" }, "name") => Names,
                (PromptReference { Name: "complex_prompt" }, "style") => SamplePrompts.Styles,
                _ => [],
            };
            var values = candidates.Where(c => c.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).ToArray();
            return ValueTask.FromResult(new Completion { Values = values, Total = values.Length, HasMore = false });
        };
    }
}

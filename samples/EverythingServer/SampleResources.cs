using System.ComponentModel;
using System.Globalization;
using McpSharp.Authoring;
using McpSharp.Protocol;
using McpSharp.Server;

namespace EverythingServer;

/// <summary>The sample's resources: static text and binary, a template, and twenty documents (to page through).</summary>
internal static class SampleResources
{
    public const string StaticText = "This is the content of the static text resource.";

    public static readonly string[] Names = ["alice", "bob", "carol", "dave", "erin"];

    [McpResource("sample://static/text", Name = "static-text", MimeType = "text/plain"), Description("A fixed text resource.")]
    public static string Text() => StaticText;

    [McpResource("sample://static/binary", Name = "static-binary", MimeType = "image/png"), Description("A fixed binary resource (PNG).")]
    public static byte[] Binary() => Convert.FromBase64String(SampleData.PngBase64);

    [McpResource("sample://greeting/{name}", Name = "greeting", MimeType = "text/plain"), Description("A greeting for anyone.")]
    public static string Greeting(string name) => $"Hello, {name}!";

    /// <summary>
    /// What attributes cannot express stays on the low-level API: resources created in a loop, and completions.
    /// </summary>
    public static void Register(McpServer server)
    {
        for (int i = 1; i <= 20; i++)
        {
            string id = i.ToString("00", CultureInfo.InvariantCulture);
            server.Resources.Add(
                new Resource { Uri = $"sample://docs/{id}", Name = $"doc-{id}", Description = $"Document {id}.", MimeType = "text/plain" },
                ctx => ValueTask.FromResult(new ReadResourceResult { Contents = [new TextResourceContents { Uri = ctx.Params.Uri, MimeType = "text/plain", Text = $"Document {id}" }] }));
        }

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

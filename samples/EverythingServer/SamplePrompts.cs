using System.ComponentModel;
using McpSharp.Authoring;
using McpSharp.Protocol;

namespace EverythingServer;

/// <summary>The sample's prompts: without arguments, with arguments, and with an embedded resource.</summary>
internal static class SamplePrompts
{
    public static readonly string[] Styles = ["casual", "formal", "poetic", "technical"];

    [McpPrompt, Description("A prompt without arguments.")]
    public static string SimplePrompt() => "This is a simple prompt without arguments.";

    /// <summary>A prompt with arguments.</summary>
    /// <param name="temperature">Temperature setting.</param>
    /// <param name="style">Output style (completable).</param>
    [McpPrompt]
    public static IEnumerable<PromptMessage> ComplexPrompt(string temperature, string style = "casual") =>
    [
        new PromptMessage { Role = Role.User, Content = new TextContentBlock($"This is a complex prompt with arguments: temperature={temperature}, style={style}") },
        new PromptMessage { Role = Role.Assistant, Content = new TextContentBlock("I understand. How can I help?") },
    ];

    /// <summary>A prompt that embeds a resource.</summary>
    /// <param name="resourceId">Document number, 01-20.</param>
    [McpPrompt]
    public static IEnumerable<PromptMessage> ResourcePrompt(string resourceId) =>
    [
        new PromptMessage
        {
            Role = Role.User,
            Content = new EmbeddedResourceBlock { Resource = new TextResourceContents { Uri = $"sample://docs/{resourceId}", MimeType = "text/plain", Text = $"Document {resourceId}" } },
        },
        new PromptMessage { Role = Role.User, Content = new TextContentBlock("Please summarise the document above.") },
    ];
}

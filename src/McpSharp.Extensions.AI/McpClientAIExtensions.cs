using McpSharp.Client;
using McpSharp.Protocol;
using Microsoft.Extensions.AI;

namespace McpSharp.Extensions.AI;

/// <summary>The client's side of the Microsoft.Extensions.AI bridge.</summary>
public static class McpClientAIExtensions
{
    /// <summary>
    /// Every tool of the server (all pages) as an <see cref="McpClientTool"/>, ready for <c>ChatOptions.Tools</c>.
    /// </summary>
    public static async Task<IList<McpClientTool>> ListAIToolsAsync(this McpClient client, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var tools = new List<McpClientTool>();
        await foreach (var tool in client.EnumerateToolsAsync(cancellationToken).ConfigureAwait(false))
        {
            tools.Add(new McpClientTool(client, tool));
        }

        return tools;
    }

    /// <summary>
    /// A sampling handler (<see cref="McpClientOptions.SamplingHandler"/>) that answers the server's
    /// <c>sampling/createMessage</c> with <paramref name="chatClient"/>.
    /// </summary>
    /// <remarks>
    /// The request becomes a chat: the system prompt a system message, each message one with its role (a user message
    /// carrying tool results becomes a <see cref="ChatRole.Tool"/> message of <see cref="FunctionResultContent"/>s),
    /// text as <see cref="TextContent"/>, images and audio as <see cref="DataContent"/>, tool use as
    /// <see cref="FunctionCallContent"/>. <c>maxTokens</c>, <c>temperature</c> and <c>stopSequences</c> become the
    /// <see cref="ChatOptions"/> of the same meaning; the request's tools become declarations only
    /// (<see cref="AIFunctionDeclaration"/>: the model may ask for them, the server runs them) with its
    /// <c>toolChoice</c> as the <see cref="ChatToolMode"/>; the model preferences choose the model through
    /// <see cref="ChatClientSamplingOptions.SelectModel"/>. The answer's text, images, audio and function calls
    /// (as <c>tool_use</c>) come back with the model the client reports and a stop reason from its finish reason
    /// (<c>endTurn</c>, <c>maxTokens</c>, <c>toolUse</c>).
    /// </remarks>
    public static McpSamplingHandler AsSamplingHandler(this IChatClient chatClient, ChatClientSamplingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(chatClient);
        var sampling = new ChatClientSampling(chatClient, options ?? new ChatClientSamplingOptions());
        return sampling.CreateMessageAsync;
    }
}

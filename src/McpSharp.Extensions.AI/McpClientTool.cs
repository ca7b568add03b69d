using System.Text.Json;
using McpSharp.Client;
using McpSharp.Protocol;
using Microsoft.Extensions.AI;

namespace McpSharp.Extensions.AI;

/// <summary>
/// A tool of an MCP server as an <see cref="AIFunction"/>: give it to an <see cref="IChatClient"/> with function
/// invocation (<c>ChatOptions.Tools</c>) and the model calls the server's tool through <see cref="McpClient"/>.
/// Get them with <see cref="McpClientAIExtensions.ListAIToolsAsync"/>.
/// </summary>
/// <remarks>
/// <para>The function's name, description, parameter schema (<see cref="AIFunctionDeclaration.JsonSchema"/>) and return
/// schema (<see cref="AIFunctionDeclaration.ReturnJsonSchema"/>) are the tool's own <c>name</c>, <c>description</c>,
/// <c>inputSchema</c> and <c>outputSchema</c>. Arguments go to the server as JSON: a <see cref="JsonElement"/> (what
/// function invocation passes from the model) as it is, any other value serialized with
/// <see cref="AIFunction.JsonSerializerOptions"/>.</para>
/// <para>What the call returns: the tool's <c>structuredContent</c> (a <see cref="JsonElement"/>, matching the return
/// schema) when it has one; otherwise a lone text block as a <see cref="string"/>; otherwise the content as a list of
/// <see cref="AIContent"/> (text as <see cref="TextContent"/>, images, audio and blobs as <see cref="DataContent"/>,
/// resource links as <see cref="UriContent"/>, each with the MCP block as its raw representation). A tool error
/// (<c>isError</c>) is not thrown: the model should see it and may correct its call, so it comes back as a list that
/// starts with an <see cref="ErrorContent"/> carrying the error's text. Protocol failures (an unknown tool, a lost
/// connection) throw, as from <see cref="McpClient.CallToolAsync"/>. Cancellation reaches the server (the call is
/// cancelled there); progress goes to the <see cref="IProgress{T}"/> given to <see cref="WithProgress"/>.</para>
/// </remarks>
public sealed class McpClientTool : AIFunction
{
    private readonly McpClient _client;
    private readonly string _name;
    private readonly string _description;
    private readonly IProgress<ProgressNotificationValue>? _progress;

    /// <summary>Wraps <paramref name="tool"/>, one of <paramref name="client"/>'s server's tools.</summary>
    public McpClientTool(McpClient client, Tool tool)
        : this(client, tool, (tool ?? throw new ArgumentNullException(nameof(tool))).Name, tool.Description ?? tool.Title ?? "", progress: null)
    {
    }

    private McpClientTool(McpClient client, Tool tool, string name, string description, IProgress<ProgressNotificationValue>? progress)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        ProtocolTool = tool;
        _name = name;
        _description = description;
        _progress = progress;
    }

    /// <summary>The tool as the server lists it.</summary>
    public Tool ProtocolTool { get; }

    /// <inheritdoc />
    public override string Name => _name;

    /// <inheritdoc />
    public override string Description => _description;

    /// <inheritdoc />
    public override JsonElement JsonSchema => ProtocolTool.InputSchema;

    /// <inheritdoc />
    public override JsonElement? ReturnJsonSchema => ProtocolTool.OutputSchema;

    /// <summary>The same tool under another name (for two servers whose tools share a name); the server still sees its own.</summary>
    public McpClientTool WithName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new(_client, ProtocolTool, name, _description, _progress);
    }

    /// <summary>The same tool with another description for the model.</summary>
    public McpClientTool WithDescription(string description)
    {
        ArgumentNullException.ThrowIfNull(description);
        return new(_client, ProtocolTool, _name, description, _progress);
    }

    /// <summary>The same tool, reporting the server's progress notifications for each call to <paramref name="progress"/>.</summary>
    public McpClientTool WithProgress(IProgress<ProgressNotificationValue> progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        return new(_client, ProtocolTool, _name, _description, progress);
    }

    /// <summary>Calls the tool and returns the server's result as it is.</summary>
    public Task<CallToolResult> CallAsync(IEnumerable<KeyValuePair<string, object?>>? arguments, CancellationToken cancellationToken = default)
    {
        Dictionary<string, JsonElement>? json = null;
        if (arguments is not null)
        {
            json = [];
            foreach (var (key, value) in arguments)
            {
                json[key] = ContentMapping.ToJson(value, JsonSerializerOptions);
            }
        }

        return _client.CallToolAsync(ProtocolTool.Name, json, _progress, cancellationToken: cancellationToken);
    }

    /// <inheritdoc />
    protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
    {
        var result = await CallAsync(arguments, cancellationToken).ConfigureAwait(false);
        if (result.IsError == true)
        {
            return ContentMapping.ToErrorContents(result.Content, $"The tool '{ProtocolTool.Name}' reported an error.", result);
        }

        if (result.StructuredContent is { } structured)
        {
            return structured;
        }

        if (result.Content is [TextContentBlock only])
        {
            return only.Text;
        }

        return result.Content.Select(ContentMapping.ToAIContent).OfType<AIContent>().ToList();
    }
}

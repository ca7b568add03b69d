using McpSharp.Protocol;

namespace McpSharp.Server;

/// <summary>Handles <c>tools/call</c> for one tool. Return a result with <c>isError</c> for tool failures (TOOL-ERR-INRESULT).</summary>
public delegate ValueTask<CallToolResult> McpToolHandler(McpRequestContext<CallToolRequestParams> context);

/// <summary>Handles <c>resources/read</c> for one fixed URI.</summary>
public delegate ValueTask<ReadResourceResult> McpResourceHandler(McpRequestContext<ResourceRequestParams> context);

/// <summary>Handles <c>resources/read</c> for URIs matching a template, given the matched variables.</summary>
public delegate ValueTask<ReadResourceResult> McpResourceTemplateHandler(McpRequestContext<ResourceRequestParams> context, IReadOnlyDictionary<string, string> variables);

/// <summary>Handles <c>prompts/get</c> for one prompt. Required arguments are checked before it is called.</summary>
public delegate ValueTask<GetPromptResult> McpPromptHandler(McpRequestContext<GetPromptRequestParams> context);

/// <summary>Handles <c>completion/complete</c>. The server trims the answer to 100 values (COMP-MAX).</summary>
public delegate ValueTask<Completion> McpCompletionHandler(McpRequestContext<CompleteRequestParams> context);

/// <summary>A tool and its handler.</summary>
public sealed record McpServerTool(Tool Definition, McpToolHandler Handler);

/// <summary>A resource and its handler.</summary>
public sealed record McpServerResource(Resource Definition, McpResourceHandler Handler);

/// <summary>A resource template, its parsed form and its handler.</summary>
public sealed record McpServerResourceTemplate(ResourceTemplate Definition, UriTemplate Template, McpResourceTemplateHandler Handler);

/// <summary>A prompt and its handler.</summary>
public sealed record McpServerPrompt(Prompt Definition, McpPromptHandler Handler);

/// <summary>The tools of a server, sorted by name.</summary>
public sealed class ToolRegistry : McpRegistry<McpServerTool>
{
    /// <summary>Adds a tool.</summary>
    /// <exception cref="ArgumentException">The name is taken, or breaks the naming rules (1-128 characters of <c>[A-Za-z0-9_.-]</c>).</exception>
    public void Add(Tool definition, McpToolHandler handler)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(handler);
        if (!IsValidName(definition.Name))
        {
            throw new ArgumentException($"Invalid tool name '{definition.Name}': use 1-128 characters of A-Z, a-z, 0-9, '_', '-' and '.'.", nameof(definition));
        }

        if (definition.InputSchema.ValueKind != System.Text.Json.JsonValueKind.Object)
        {
            throw new ArgumentException("A tool's inputSchema must be a JSON object schema (TOOL-INPUTSCHEMA).", nameof(definition));
        }

        AddCore(new McpServerTool(definition, handler));
    }

    /// <summary>True when <paramref name="name"/> follows the tool naming rules (TOOL-NAME-LEN, TOOL-NAME-CHARS).</summary>
    public static bool IsValidName(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 128)
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    private protected override string KeyOf(McpServerTool entry) => entry.Definition.Name;
}

/// <summary>The fixed-URI resources of a server, sorted by URI.</summary>
public sealed class ResourceRegistry : McpRegistry<McpServerResource>
{
    /// <summary>Adds a resource.</summary>
    public void Add(Resource definition, McpResourceHandler handler)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(handler);
        AddCore(new McpServerResource(definition, handler));
    }

    private protected override string KeyOf(McpServerResource entry) => entry.Definition.Uri;
}

/// <summary>The resource templates of a server, sorted by template.</summary>
public sealed class ResourceTemplateRegistry : McpRegistry<McpServerResourceTemplate>
{
    /// <summary>Adds a template.</summary>
    /// <exception cref="FormatException">The URI template is malformed.</exception>
    public void Add(ResourceTemplate definition, McpResourceTemplateHandler handler)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(handler);
        AddCore(new McpServerResourceTemplate(definition, new UriTemplate(definition.UriTemplate), handler));
    }

    private protected override string KeyOf(McpServerResourceTemplate entry) => entry.Definition.UriTemplate;
}

/// <summary>The prompts of a server, sorted by name.</summary>
public sealed class PromptRegistry : McpRegistry<McpServerPrompt>
{
    /// <summary>Adds a prompt.</summary>
    public void Add(Prompt definition, McpPromptHandler handler)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(handler);
        AddCore(new McpServerPrompt(definition, handler));
    }

    private protected override string KeyOf(McpServerPrompt entry) => entry.Definition.Name;
}

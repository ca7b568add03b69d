namespace McpSharp.Protocol;

/// <summary>A prompt template (PROMPT-LIST).</summary>
public sealed class Prompt : McpMetaObject
{
    /// <summary>Programmatic name.</summary>
    public required string Name { get; set; }

    /// <summary>Display name.</summary>
    public string? Title { get; set; }

    /// <summary>Description.</summary>
    public string? Description { get; set; }

    /// <summary>Arguments the prompt takes.</summary>
    public IList<PromptArgument>? Arguments { get; set; }

    /// <summary>Icons.</summary>
    public IList<Icon>? Icons { get; set; }
}

/// <summary>An argument of a prompt.</summary>
public sealed class PromptArgument : McpObject
{
    /// <summary>Name.</summary>
    public required string Name { get; set; }

    /// <summary>Display name.</summary>
    public string? Title { get; set; }

    /// <summary>Description.</summary>
    public string? Description { get; set; }

    /// <summary>True when the argument must be given.</summary>
    public bool? Required { get; set; }
}

/// <summary>Result of <c>prompts/list</c>.</summary>
public sealed class ListPromptsResult : PaginatedResult
{
    /// <summary>The prompts on this page.</summary>
    public IList<Prompt> Prompts { get; set; } = [];
}

/// <summary>Parameters of <c>prompts/get</c>.</summary>
public sealed class GetPromptRequestParams : InputResponseRequestParams
{
    /// <summary>The prompt's name.</summary>
    public required string Name { get; set; }

    /// <summary>Argument values.</summary>
    public Dictionary<string, string>? Arguments { get; set; }
}

/// <summary>Result of <c>prompts/get</c> (PROMPT-GET).</summary>
public sealed class GetPromptResult : Result
{
    /// <summary>Description.</summary>
    public string? Description { get; set; }

    /// <summary>The messages.</summary>
    public IList<PromptMessage> Messages { get; set; } = [];
}

/// <summary>One message of a prompt.</summary>
public sealed class PromptMessage : McpObject
{
    /// <summary>Who says it.</summary>
    public required Role Role { get; set; }

    /// <summary>What is said.</summary>
    public required ContentBlock Content { get; set; }
}

using System.Text.Json.Serialization;

namespace McpSharp.Protocol;

/// <summary>What a completion request refers to: a prompt or a resource template (COMP-REQ).</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(PromptReference), "ref/prompt")]
[JsonDerivedType(typeof(ResourceTemplateReference), "ref/resource")]
public abstract class CompletionReference : McpObject
{
}

/// <summary>A reference to a prompt.</summary>
public sealed class PromptReference : CompletionReference
{
    /// <summary>The prompt's name.</summary>
    public required string Name { get; set; }

    /// <summary>Display name.</summary>
    public string? Title { get; set; }
}

/// <summary>A reference to a resource template (or resource URI).</summary>
public sealed class ResourceTemplateReference : CompletionReference
{
    /// <summary>The URI or URI template.</summary>
    public required string Uri { get; set; }
}

/// <summary>Parameters of <c>completion/complete</c>.</summary>
public sealed class CompleteRequestParams : RequestParams
{
    /// <summary>What is being completed.</summary>
    [JsonPropertyName("ref")]
    public required CompletionReference Ref { get; set; }

    /// <summary>The argument and its partial value.</summary>
    public required CompletionArgument Argument { get; set; }

    /// <summary>Values of arguments already resolved.</summary>
    public CompletionContext? Context { get; set; }
}

/// <summary>The argument being completed.</summary>
public sealed class CompletionArgument : McpObject
{
    /// <summary>Name.</summary>
    public required string Name { get; set; }

    /// <summary>Partial value typed so far.</summary>
    public required string Value { get; set; }
}

/// <summary>Context of a completion request.</summary>
public sealed class CompletionContext : McpObject
{
    /// <summary>Already-resolved argument values.</summary>
    public Dictionary<string, string>? Arguments { get; set; }
}

/// <summary>Result of <c>completion/complete</c>.</summary>
public sealed class CompleteResult : Result
{
    /// <summary>The completion values.</summary>
    public Completion Completion { get; set; } = new();
}

/// <summary>Completion values: at most 100 (COMP-MAX).</summary>
public sealed class Completion : McpObject
{
    /// <summary>The maximum number of values a result may carry.</summary>
    public const int MaxValues = 100;

    /// <summary>Values, best first.</summary>
    public IList<string> Values { get; set; } = [];

    /// <summary>Total number of matches, which may exceed the values returned.</summary>
    public int? Total { get; set; }

    /// <summary>True when more values exist than were returned.</summary>
    public bool? HasMore { get; set; }
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace McpSharp.Protocol;

/// <summary>A tool definition (TOOL-SHAPE).</summary>
public sealed class Tool : McpMetaObject
{
    /// <summary>Unique, case-sensitive name: 1-128 characters of <c>[A-Za-z0-9_.-]</c> (TOOL-NAME-*).</summary>
    public required string Name { get; set; }

    /// <summary>Display name.</summary>
    public string? Title { get; set; }

    /// <summary>What the tool does, for the model.</summary>
    public string? Description { get; set; }

    /// <summary>Icons.</summary>
    public IList<Icon>? Icons { get; set; }

    /// <summary>JSON Schema of the arguments: an object schema (TOOL-INPUTSCHEMA). Kept exactly as written.</summary>
    public required JsonElement InputSchema { get; set; }

    /// <summary>JSON Schema of <c>structuredContent</c>, if the tool returns structured output.</summary>
    public JsonElement? OutputSchema { get; set; }

    /// <summary>Behaviour hints (untrusted, TOOL-ANNOT-UNTRUSTED).</summary>
    public ToolAnnotations? Annotations { get; set; }

    /// <summary>Execution properties, e.g. <c>taskSupport</c>.</summary>
    public ToolExecution? Execution { get; set; }
}

/// <summary>Hints about a tool's behaviour.</summary>
public sealed class ToolAnnotations : McpObject
{
    /// <summary>Display name.</summary>
    public string? Title { get; set; }

    /// <summary>The tool does not modify its environment (default false).</summary>
    public bool? ReadOnlyHint { get; set; }

    /// <summary>The tool may perform destructive updates (default true).</summary>
    public bool? DestructiveHint { get; set; }

    /// <summary>Calling again with the same arguments has no further effect (default false).</summary>
    public bool? IdempotentHint { get; set; }

    /// <summary>The tool interacts with an open world of external entities (default true).</summary>
    public bool? OpenWorldHint { get; set; }
}

/// <summary>Execution properties of a tool.</summary>
public sealed class ToolExecution : McpObject
{
    /// <summary><c>forbidden</c> (default), <c>optional</c> or <c>required</c>.</summary>
    public string? TaskSupport { get; set; }
}

/// <summary>Result of <c>tools/list</c>.</summary>
public sealed class ListToolsResult : PaginatedResult
{
    /// <summary>The tools on this page.</summary>
    public IList<Tool> Tools { get; set; } = [];
}

/// <summary>Parameters of <c>tools/call</c>.</summary>
[JsonConverter(typeof(CallToolRequestParamsConverter))]
public sealed class CallToolRequestParams : InputResponseRequestParams
{
    /// <summary>The tool's name.</summary>
    public required string Name { get; set; }

    /// <summary>Arguments, as given.</summary>
    public Dictionary<string, JsonElement>? Arguments { get; set; }
}

/// <summary>Result of <c>tools/call</c>. Tool failures are results with <see cref="IsError"/> (TOOL-ERR-INRESULT).</summary>
[JsonConverter(typeof(CallToolResultConverter))]
public sealed class CallToolResult : Result
{
    /// <summary>Unstructured content.</summary>
    public IList<ContentBlock> Content { get; set; } = [];

    /// <summary>Structured content conforming to the tool's <c>outputSchema</c>.</summary>
    public JsonElement? StructuredContent { get; set; }

    /// <summary>True when the tool failed.</summary>
    public bool? IsError { get; set; }

    /// <summary>A successful result with one text block.</summary>
    public static CallToolResult FromText(string text) => new() { Content = [new TextContentBlock(text)] };

    /// <summary>An error result with one text block.</summary>
    public static CallToolResult FromError(string message) => new() { Content = [new TextContentBlock(message)], IsError = true };
}

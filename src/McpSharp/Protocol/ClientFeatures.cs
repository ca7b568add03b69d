using System.Text.Json;
using System.Text.Json.Serialization;

namespace McpSharp.Protocol;

/// <summary>Parameters of <c>sampling/createMessage</c> (SAMP-REQ).</summary>
public sealed class CreateMessageRequestParams : RequestParams
{
    /// <summary>The conversation.</summary>
    public IList<SamplingMessage> Messages { get; set; } = [];

    /// <summary>Model preferences.</summary>
    public ModelPreferences? ModelPreferences { get; set; }

    /// <summary>System prompt.</summary>
    public string? SystemPrompt { get; set; }

    /// <summary><c>none</c>, <c>thisServer</c> or <c>allServers</c> (the last two are soft-deprecated, SAMP-CONTEXT).</summary>
    public string? IncludeContext { get; set; }

    /// <summary>Temperature.</summary>
    public double? Temperature { get; set; }

    /// <summary>Maximum tokens to sample (required).</summary>
    public required int MaxTokens { get; set; }

    /// <summary>Stop sequences.</summary>
    public IList<string>? StopSequences { get; set; }

    /// <summary>Provider-specific metadata.</summary>
    public JsonElement? Metadata { get; set; }

    /// <summary>Tools the model may use; only for clients that declared <c>sampling.tools</c> (SAMP-TOOLS-GATE).</summary>
    public IList<Tool>? Tools { get; set; }

    /// <summary>How the model may use tools.</summary>
    public ToolChoice? ToolChoice { get; set; }
}

/// <summary>How the model may choose tools.</summary>
public sealed class ToolChoice : McpObject
{
    /// <summary><c>auto</c>, <c>required</c> or <c>none</c>.</summary>
    public string? Mode { get; set; }
}

/// <summary>A message in a sampling conversation.</summary>
public sealed class SamplingMessage : McpMetaObject
{
    /// <summary>Who says it.</summary>
    public required Role Role { get; set; }

    /// <summary>One block or several (a single block is written as an object, SAMP-CONTENT).</summary>
    [JsonConverter(typeof(SingleOrArrayContentConverter))]
    public IList<ContentBlock> Content { get; set; } = [];
}

/// <summary>Model selection preferences.</summary>
public sealed class ModelPreferences : McpObject
{
    /// <summary>Hints, in order of preference (SAMP-HINTS).</summary>
    public IList<ModelHint>? Hints { get; set; }

    /// <summary>0-1.</summary>
    public double? CostPriority { get; set; }

    /// <summary>0-1.</summary>
    public double? SpeedPriority { get; set; }

    /// <summary>0-1.</summary>
    public double? IntelligencePriority { get; set; }
}

/// <summary>A model name hint (treated as a substring).</summary>
public sealed class ModelHint : McpObject
{
    /// <summary>Name or fragment.</summary>
    public string? Name { get; set; }
}

/// <summary>Result of <c>sampling/createMessage</c> (SAMP-RESULT).</summary>
public sealed class CreateMessageResult : Result
{
    /// <summary>Who said it (the assistant).</summary>
    public required Role Role { get; set; }

    /// <summary>One block or several.</summary>
    [JsonConverter(typeof(SingleOrArrayContentConverter))]
    public IList<ContentBlock> Content { get; set; } = [];

    /// <summary>The model that answered.</summary>
    public required string Model { get; set; }

    /// <summary><c>endTurn</c>, <c>stopSequence</c>, <c>maxTokens</c>, <c>toolUse</c> or another string.</summary>
    public string? StopReason { get; set; }
}

/// <summary>
/// Parameters of <c>elicitation/create</c> (ELIC-PARAMS): form mode (<see cref="RequestedSchema"/>) or URL mode
/// (<see cref="Mode"/> <c>url</c>, <see cref="Url"/>, <see cref="ElicitationId"/>).
/// </summary>
public sealed class ElicitRequestParams : RequestParams
{
    /// <summary><c>form</c> (the default when absent, ELIC-NO-MODE-FORM) or <c>url</c>.</summary>
    public string? Mode { get; set; }

    /// <summary>What is asked, for the user.</summary>
    public required string Message { get; set; }

    /// <summary>Form mode: a flat object schema of primitive properties (ELIC-SCHEMA-FLAT).</summary>
    public JsonElement? RequestedSchema { get; set; }

    /// <summary>URL mode: the opaque id that <c>notifications/elicitation/complete</c> refers to.</summary>
    public string? ElicitationId { get; set; }

    /// <summary>URL mode: the URL to open.</summary>
    public string? Url { get; set; }

    /// <summary>True for URL mode.</summary>
    [JsonIgnore]
    public bool IsUrlMode => string.Equals(Mode, "url", StringComparison.Ordinal);
}

/// <summary>Result of <c>elicitation/create</c> (ELIC-RESULT).</summary>
public sealed class ElicitResult : Result
{
    /// <summary><c>accept</c>, <c>decline</c> or <c>cancel</c>.</summary>
    public required string Action { get; set; }

    /// <summary>Form values (form mode, accept only): strings, numbers, booleans or string arrays.</summary>
    public Dictionary<string, JsonElement>? Content { get; set; }
}

/// <summary>Parameters of <c>notifications/elicitation/complete</c>.</summary>
public sealed class ElicitationCompleteNotificationParams : NotificationParams
{
    /// <summary>The id of the URL-mode elicitation that completed.</summary>
    public required string ElicitationId { get; set; }
}

/// <summary>Result of <c>roots/list</c>.</summary>
public sealed class ListRootsResult : Result
{
    /// <summary>The roots.</summary>
    public IList<Root> Roots { get; set; } = [];
}

/// <summary>A root directory or file the client exposes (ROOTS-URI).</summary>
public sealed class Root : McpMetaObject
{
    /// <summary>A <c>file://</c> URI.</summary>
    public required string Uri { get; set; }

    /// <summary>Display name.</summary>
    public string? Name { get; set; }
}

using System.Text.Json.Nodes;

namespace McpSharp.Protocol;

/// <summary>What a client supports (CAP-CLIENT-SET). Unknown keys round-trip.</summary>
public sealed class ClientCapabilities : McpObject
{
    /// <summary>Non-standard capabilities.</summary>
    public JsonObject? Experimental { get; set; }

    /// <summary>Present when the client offers <c>roots/list</c>.</summary>
    public RootsCapability? Roots { get; set; }

    /// <summary>Present when the client offers <c>sampling/createMessage</c>.</summary>
    public SamplingCapability? Sampling { get; set; }

    /// <summary>Present when the client offers <c>elicitation/create</c>.</summary>
    public ElicitationCapability? Elicitation { get; set; }

    /// <summary>Task augmentation support (experimental in 2025-11-25), kept as JSON.</summary>
    public JsonObject? Tasks { get; set; }

    /// <summary>Extensions the client supports (2026-07-28, M26-EXT-CAPS): id -> settings object (<c>{}</c>: no settings).</summary>
    public JsonObject? Extensions { get; set; }
}

/// <summary>Roots capability.</summary>
public sealed class RootsCapability : McpObject
{
    /// <summary>The client sends <c>notifications/roots/list_changed</c>.</summary>
    public bool? ListChanged { get; set; }
}

/// <summary>Sampling capability.</summary>
public sealed class SamplingCapability : McpObject
{
    /// <summary>Present when the client honours <c>includeContext</c> other than <c>none</c> (soft-deprecated).</summary>
    public JsonObject? Context { get; set; }

    /// <summary>Present when the client accepts <c>tools</c> and <c>toolChoice</c> (SAMP-TOOLS-CAP).</summary>
    public JsonObject? Tools { get; set; }
}

/// <summary>Elicitation capability. An empty object means form mode only (ELIC-CAP).</summary>
public sealed class ElicitationCapability : McpObject
{
    /// <summary>Form mode.</summary>
    public JsonObject? Form { get; set; }

    /// <summary>URL mode.</summary>
    public JsonObject? Url { get; set; }

    /// <summary>True when form mode is supported (declared, or nothing declared).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool SupportsForm => Form is not null || Url is null;

    /// <summary>True when URL mode is supported.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool SupportsUrl => Url is not null;
}

/// <summary>What a server offers (CAP-SERVER-SET). Unknown keys round-trip.</summary>
public sealed class ServerCapabilities : McpObject
{
    /// <summary>Non-standard capabilities.</summary>
    public JsonObject? Experimental { get; set; }

    /// <summary>Present when the server sends <c>notifications/message</c> (LOG-CAP).</summary>
    public JsonObject? Logging { get; set; }

    /// <summary>Present when the server answers <c>completion/complete</c> (COMP-CAP).</summary>
    public JsonObject? Completions { get; set; }

    /// <summary>Prompts.</summary>
    public ListChangedCapability? Prompts { get; set; }

    /// <summary>Resources.</summary>
    public ResourcesCapability? Resources { get; set; }

    /// <summary>Tools.</summary>
    public ListChangedCapability? Tools { get; set; }

    /// <summary>Task augmentation support (experimental in 2025-11-25), kept as JSON.</summary>
    public JsonObject? Tasks { get; set; }

    /// <summary>Extensions the server supports (2026-07-28, M26-EXT-CAPS): id -> settings object.</summary>
    public JsonObject? Extensions { get; set; }
}

/// <summary>A capability whose only option is list-change notifications.</summary>
public sealed class ListChangedCapability : McpObject
{
    /// <summary>The server sends <c>notifications/*/list_changed</c>.</summary>
    public bool? ListChanged { get; set; }
}

/// <summary>Resources capability.</summary>
public sealed class ResourcesCapability : McpObject
{
    /// <summary>The server supports <c>resources/subscribe</c>.</summary>
    public bool? Subscribe { get; set; }

    /// <summary>The server sends <c>notifications/resources/list_changed</c>.</summary>
    public bool? ListChanged { get; set; }
}

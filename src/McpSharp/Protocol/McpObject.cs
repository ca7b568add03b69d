using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace McpSharp.Protocol;

/// <summary>
/// Base of every MCP schema object: fields this SDK does not model are kept in <see cref="AdditionalProperties"/>
/// and written back unchanged, so a newer peer's data survives a round trip.
/// </summary>
public abstract class McpObject
{
    /// <summary>Members of the JSON object that this type does not model, in their original form.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>An MCP object that carries the reserved <c>_meta</c> field (META-RESERVED), kept and written back unchanged.</summary>
public abstract class McpMetaObject : McpObject
{
    /// <summary>The <c>_meta</c> object, or null when absent.</summary>
    [JsonPropertyName("_meta")]
    public JsonObject? Meta { get; set; }
}

/// <summary>Base of request parameters: <c>_meta</c> may carry a <c>progressToken</c>.</summary>
public abstract class RequestParams : McpMetaObject
{
}

/// <summary>
/// Parameters of the requests that may end with an <see cref="InputRequiredResult"/> (<c>tools/call</c>,
/// <c>prompts/get</c>, <c>resources/read</c>): on the retry they carry the client's answers and the server's state
/// (2026-07-28, M26-MRTR-CLIENT-*).
/// </summary>
public abstract class InputResponseRequestParams : RequestParams
{
    /// <summary>The client's answers, by the keys of the server's <c>inputRequests</c>.</summary>
    public Dictionary<string, JsonElement>? InputResponses { get; set; }

    /// <summary>The <c>requestState</c> of the previous round, echoed byte-exact.</summary>
    public string? RequestState { get; set; }
}

/// <summary>Base of notification parameters.</summary>
public abstract class NotificationParams : McpMetaObject
{
}

/// <summary>Base of results.</summary>
public abstract class Result : McpMetaObject
{
}

/// <summary>A result with no content: <c>{}</c> (BASE-RES-RESULT), for ping, subscribe, setLevel.</summary>
public sealed class EmptyResult : Result
{
    /// <summary>A shared instance for handlers that return nothing. Do not mutate it.</summary>
    public static EmptyResult Instance { get; } = new();
}

/// <summary>Parameters of requests that take nothing but <c>_meta</c> (ping, roots/list).</summary>
public sealed class EmptyRequestParams : RequestParams
{
}

/// <summary>Parameters of notifications that take nothing but <c>_meta</c> (initialized, list_changed).</summary>
public sealed class EmptyNotificationParams : NotificationParams
{
}

/// <summary>Parameters of a paginated list request (PAGE-OPS).</summary>
public sealed class PaginatedRequestParams : RequestParams
{
    /// <summary>The opaque cursor from a previous page's <c>nextCursor</c>; null for the first page.</summary>
    public string? Cursor { get; set; }
}

/// <summary>Base of paginated results.</summary>
public abstract class PaginatedResult : Result
{
    /// <summary>The cursor of the next page; absent on the last page (PAGE-END).</summary>
    public string? NextCursor { get; set; }
}

/// <summary>An icon for an implementation, tool, resource, template or prompt (ICON-SHAPE).</summary>
public sealed class Icon : McpObject
{
    /// <summary>An https or data: URI of the image.</summary>
    public required string Src { get; set; }

    /// <summary>The image's MIME type.</summary>
    public string? MimeType { get; set; }

    /// <summary>Sizes such as <c>48x48</c> or <c>any</c>.</summary>
    public IList<string>? Sizes { get; set; }

    /// <summary><c>light</c> or <c>dark</c>.</summary>
    public string? Theme { get; set; }
}

/// <summary>Name and version of an MCP implementation (client or server).</summary>
public sealed class Implementation : McpObject
{
    /// <summary>Programmatic name.</summary>
    public required string Name { get; set; }

    /// <summary>Human-readable name.</summary>
    public string? Title { get; set; }

    /// <summary>Version string.</summary>
    public required string Version { get; set; }

    /// <summary>Description.</summary>
    public string? Description { get; set; }

    /// <summary>Icons.</summary>
    public IList<Icon>? Icons { get; set; }

    /// <summary>Home page.</summary>
    public string? WebsiteUrl { get; set; }
}

/// <summary>Who a piece of content is for, and how much it matters (RES-ANNOT).</summary>
public sealed class Annotations : McpObject
{
    /// <summary>Intended audience.</summary>
    public IList<Role>? Audience { get; set; }

    /// <summary>Importance from 0 (least) to 1 (most).</summary>
    public double? Priority { get; set; }

    /// <summary>ISO 8601 time of the last modification.</summary>
    public string? LastModified { get; set; }
}

/// <summary>The sender or recipient of a message.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Role>))]
public enum Role
{
    /// <summary>The user.</summary>
    [JsonStringEnumMemberName("user")] User,

    /// <summary>The assistant (model).</summary>
    [JsonStringEnumMemberName("assistant")] Assistant,
}

/// <summary>Log severity, in RFC 5424 order (LOG-SETLEVEL).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LoggingLevel>))]
public enum LoggingLevel
{
    /// <summary>Debug.</summary>
    [JsonStringEnumMemberName("debug")] Debug,

    /// <summary>Informational.</summary>
    [JsonStringEnumMemberName("info")] Info,

    /// <summary>Normal but significant.</summary>
    [JsonStringEnumMemberName("notice")] Notice,

    /// <summary>Warning.</summary>
    [JsonStringEnumMemberName("warning")] Warning,

    /// <summary>Error.</summary>
    [JsonStringEnumMemberName("error")] Error,

    /// <summary>Critical.</summary>
    [JsonStringEnumMemberName("critical")] Critical,

    /// <summary>Action must be taken immediately.</summary>
    [JsonStringEnumMemberName("alert")] Alert,

    /// <summary>The system is unusable.</summary>
    [JsonStringEnumMemberName("emergency")] Emergency,
}

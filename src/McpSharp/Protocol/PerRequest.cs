using System.Text.Json;
using System.Text.Json.Serialization;

namespace McpSharp.Protocol;

/// <summary>Parameters of <c>server/discover</c>: only the per-request <c>_meta</c> (2026-07-28).</summary>
public sealed class DiscoverRequestParams : RequestParams
{
}

/// <summary>Result of <c>server/discover</c> (2026-07-28, M26-DISCOVER-REQUIRED): versions, capabilities, instructions.</summary>
public sealed class DiscoverResult : Result
{
    /// <summary>The per-request protocol versions the server serves; the client picks one for its requests.</summary>
    public IList<string> SupportedVersions { get; set; } = [];

    /// <summary>What the server offers.</summary>
    public required ServerCapabilities Capabilities { get; set; }

    /// <summary>How to use this server, for the model.</summary>
    public string? Instructions { get; set; }
}

/// <summary>The kinds of <c>resultType</c> of revision 2026-07-28 (M26-RESULT-TYPE-REQUIRED).</summary>
public static class ResultTypes
{
    /// <summary>The result is final.</summary>
    public const string Complete = "complete";

    /// <summary>The result is an <see cref="InputRequiredResult"/>: the request is to be retried with answers (MRTR).</summary>
    public const string InputRequired = "input_required";
}

/// <summary>
/// A request of the server for input from the client (sampling, elicitation or roots) inside an
/// <see cref="InputRequiredResult"/>: the method and its params, no id (M26-MRTR-KEYS).
/// </summary>
public sealed class InputRequest : McpObject
{
    /// <summary><c>elicitation/create</c>, <c>sampling/createMessage</c> or <c>roots/list</c>.</summary>
    public required string Method { get; set; }

    /// <summary>The request's params.</summary>
    public JsonElement? Params { get; set; }
}

/// <summary>
/// The interim result of a multi round-trip request (2026-07-28, M26-MRTR-*): the client answers
/// <see cref="InputRequests"/> and retries the request with those answers in <c>inputResponses</c> and
/// <see cref="RequestState"/> echoed byte-exact.
/// </summary>
public sealed class InputRequiredResult : Result
{
    /// <summary>Always <c>input_required</c>.</summary>
    public string ResultType { get; set; } = ResultTypes.InputRequired;

    /// <summary>What the server asks for, by keys the server chose.</summary>
    public Dictionary<string, InputRequest>? InputRequests { get; set; }

    /// <summary>Opaque state to echo on the retry; clients never look inside.</summary>
    public string? RequestState { get; set; }
}

/// <summary>The notification types a <c>subscriptions/listen</c> stream opts in to (M26-SUB-LISTEN).</summary>
public sealed class SubscriptionFilter : McpObject
{
    /// <summary><c>notifications/tools/list_changed</c>.</summary>
    public bool? ToolsListChanged { get; set; }

    /// <summary><c>notifications/prompts/list_changed</c>.</summary>
    public bool? PromptsListChanged { get; set; }

    /// <summary><c>notifications/resources/list_changed</c>.</summary>
    public bool? ResourcesListChanged { get; set; }

    /// <summary><c>notifications/resources/updated</c> for these URIs (and resources under them).</summary>
    public IList<string>? ResourceSubscriptions { get; set; }

    /// <summary><c>notifications/tasks</c> for these tasks (the tasks extension, which the request must declare).</summary>
    public IList<string>? TaskIds { get; set; }
}

/// <summary>Parameters of <c>subscriptions/listen</c>.</summary>
public sealed class SubscriptionsListenRequestParams : RequestParams
{
    /// <summary>What to receive; the server sends nothing else (M26-SUB-OPT-IN).</summary>
    public SubscriptionFilter Notifications { get; set; } = new();
}

/// <summary>Parameters of <c>notifications/subscriptions/acknowledged</c>: the subset the server honours.</summary>
public sealed class SubscriptionsAcknowledgedNotificationParams : NotificationParams
{
    /// <summary>What the server agreed to send (unsupported types left out).</summary>
    public SubscriptionFilter Notifications { get; set; } = new();
}

/// <summary><c>error.data</c> of -32022 <c>UnsupportedProtocolVersion</c>.</summary>
public sealed class UnsupportedProtocolVersionData : McpObject
{
    /// <summary>The versions the server supports.</summary>
    public IList<string> Supported { get; set; } = [];

    /// <summary>The version the request asked for.</summary>
    public required string Requested { get; set; }
}

/// <summary><c>error.data</c> of -32021 <c>MissingRequiredClientCapability</c>.</summary>
public sealed class MissingRequiredClientCapabilityData : McpObject
{
    /// <summary>The capabilities the request needs, as a <see cref="ClientCapabilities"/> object (M26-ERR-32021).</summary>
    public required ClientCapabilities RequiredCapabilities { get; set; }
}

/// <summary>Whether a cached result may be shared across authorization contexts (<c>cacheScope</c>, SEP-2549).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CacheScope>))]
public enum CacheScope
{
    /// <summary>Only within the same authorization context.</summary>
    [JsonStringEnumMemberName("private")] Private,

    /// <summary>By any client or shared cache.</summary>
    [JsonStringEnumMemberName("public")] Public,
}

using System.Text.Json;
using System.Text.Json.Serialization;
using McpSharp.JsonRpc;

namespace McpSharp.Protocol;

/// <summary>
/// The tasks extension (<c>io.modelcontextprotocol/tasks</c>, SEP-2663, for revision 2026-07-28): a <c>tools/call</c>
/// answered with a task handle, polled with <c>tasks/get</c>, given input with <c>tasks/update</c>, cancelled with
/// <c>tasks/cancel</c>. Negotiated per request in <c>capabilities.extensions</c>.
/// </summary>
public static class McpTasks
{
    /// <summary>The extension's id, the key in <c>capabilities.extensions</c>.</summary>
    public const string ExtensionId = "io.modelcontextprotocol/tasks";

    /// <summary><c>tasks/get</c>: a task's status, and its result, error or outstanding input.</summary>
    public const string Get = "tasks/get";

    /// <summary><c>tasks/update</c>: answers to a task's outstanding input requests.</summary>
    public const string Update = "tasks/update";

    /// <summary><c>tasks/cancel</c>: asks a task to stop.</summary>
    public const string Cancel = "tasks/cancel";

    /// <summary><c>notifications/tasks</c>: a task's state, as <c>tasks/get</c> would answer it, on a listen stream.</summary>
    public const string StatusNotification = "notifications/tasks";

    /// <summary>The <c>resultType</c> of a <see cref="CreateTaskResult"/>.</summary>
    public const string ResultType = "task";

    /// <summary>What a tool's <c>execution.taskSupport</c> says when it can run as a task if the client supports tasks.</summary>
    public const string SupportOptional = "optional";

    /// <summary>What a tool's <c>execution.taskSupport</c> says when it runs only as a task (-32021 for a client without tasks).</summary>
    public const string SupportRequired = "required";

    /// <summary>True when <paramref name="capabilities"/> declare the tasks extension.</summary>
    public static bool IsDeclared(ClientCapabilities? capabilities) => capabilities?.Extensions?.ContainsKey(ExtensionId) == true;

    /// <summary>A copy of <paramref name="extensions"/> (a capabilities' <c>extensions</c>) with this extension in it.</summary>
    internal static System.Text.Json.Nodes.JsonObject WithTasks(System.Text.Json.Nodes.JsonObject? extensions)
    {
        var copy = extensions?.DeepClone().AsObject() ?? [];
        copy[ExtensionId] ??= new System.Text.Json.Nodes.JsonObject();
        return copy;
    }
}

/// <summary>The states of a task. <see cref="Completed"/>, <see cref="Failed"/> and <see cref="Cancelled"/> are final.</summary>
public static class McpTaskStatus
{
    /// <summary>Running.</summary>
    public const string Working = "working";

    /// <summary>Waiting for answers to its input requests (<c>tasks/update</c>).</summary>
    public const string InputRequired = "input_required";

    /// <summary>Done, with a result (a tool error, <c>isError</c>, is a completed task too).</summary>
    public const string Completed = "completed";

    /// <summary>Ended by a JSON-RPC error.</summary>
    public const string Failed = "failed";

    /// <summary>Stopped at the client's request.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>True for the states a task never leaves.</summary>
    public static bool IsTerminal(string status) => status is Completed or Failed or Cancelled;
}

/// <summary>The fields every view of a task carries.</summary>
public abstract class McpTaskFields : Result
{
    /// <summary>The task's id: unguessable, the only handle to it.</summary>
    public required string TaskId { get; set; }

    /// <summary>One of <see cref="McpTaskStatus"/>.</summary>
    public required string Status { get; set; }

    /// <summary>A human-readable word on the status.</summary>
    public string? StatusMessage { get; set; }

    /// <summary>When the task was created (ISO 8601, UTC).</summary>
    public required string CreatedAt { get; set; }

    /// <summary>When its status last changed (ISO 8601, UTC).</summary>
    public required string LastUpdatedAt { get; set; }

    /// <summary>How long after its creation the task is kept, in milliseconds; null for no limit. Always written.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public long? TtlMs { get; set; }

    /// <summary>How often the server suggests polling, in milliseconds.</summary>
    public long? PollIntervalMs { get; set; }
}

/// <summary>The answer to a <c>tools/call</c> that became a task (<c>resultType: "task"</c>): the handle, flat.</summary>
public sealed class CreateTaskResult : McpTaskFields
{
    /// <summary>Always <c>task</c>.</summary>
    public string ResultType { get; set; } = McpTasks.ResultType;
}

/// <summary>The result of <c>tasks/get</c>: the task, and what its status calls for.</summary>
public sealed class McpTaskDetails : McpTaskFields
{
    /// <summary>While <see cref="McpTaskStatus.InputRequired"/>: every outstanding input request, by key.</summary>
    public Dictionary<string, InputRequest>? InputRequests { get; set; }

    /// <summary>When <see cref="McpTaskStatus.Completed"/>: the <c>tools/call</c> result.</summary>
    public CallToolResult? Result { get; set; }

    /// <summary>When <see cref="McpTaskStatus.Failed"/>: the JSON-RPC error that ended it.</summary>
    public JsonRpcError? Error { get; set; }
}

/// <summary>Parameters of <c>tasks/get</c> and <c>tasks/cancel</c>.</summary>
public sealed class TaskRequestParams : RequestParams
{
    /// <summary>The task.</summary>
    public required string TaskId { get; set; }
}

/// <summary>Parameters of <c>tasks/update</c>.</summary>
public sealed class UpdateTaskRequestParams : RequestParams
{
    /// <summary>The task.</summary>
    public required string TaskId { get; set; }

    /// <summary>Answers to the task's input requests, by their keys (unknown or answered keys are ignored).</summary>
    public Dictionary<string, JsonElement>? InputResponses { get; set; }
}

using System.Text.Json;
using McpSharp.Protocol;

namespace McpSharp.Client;

/// <summary>
/// Tasks (the tasks extension of revision 2026-07-28) for callers who want the task itself, not only its result: start
/// a tool call and keep its handle, leave, and come back to it later, from this client or from another one that
/// reaches the same server (<see cref="Attach"/>). <see cref="McpClient.CallToolAsync"/> is the simple way: it follows
/// a task to its end by itself.
/// </summary>
public sealed class McpClientTasks
{
    private readonly McpClient _client;

    internal McpClientTasks(McpClient client) => _client = client;

    /// <summary>
    /// Calls a tool and returns as soon as the server answers: with a task's handle when the call became a task, or
    /// with the result when the server answered it at once (a tool that does not run as a task, a 2025-11-25 session, or
    /// <see cref="McpClientOptions.UseTasks"/> off). Input the server asks for before the task starts is answered with
    /// this client's handlers, as for any call. Cancelling before the answer cancels the call on the server.
    /// </summary>
    public async Task<McpToolCallStart> StartToolCallAsync(string name, IReadOnlyDictionary<string, JsonElement>? arguments = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (_client.PerRequest is not { } sender || !_client.Options.UseTasks)
        {
            return new McpToolCallStart(await _client.CallToolAsync(name, arguments, cancellationToken: cancellationToken).ConfigureAwait(false), null);
        }

        var parameters = new CallToolRequestParams { Name = name, Arguments = arguments is null ? null : new Dictionary<string, JsonElement>(arguments) };
        var answer = await sender.SendAsync(McpMethods.ToolsCall, parameters, McpJsonContext.Default.CallToolRequestParams, null, cancellationToken, followTasks: false).ConfigureAwait(false);
        if (PerRequestSender.ResultTypeOf(answer) == McpTasks.ResultType)
        {
            var created = McpClient.ReadResult(McpMethods.ToolsCall, answer, McpJsonContext.Default.CreateTaskResult);
            return new McpToolCallStart(null, new McpTaskHandle(sender, _client.Time, created.TaskId, created.PollIntervalMs));
        }

        return new McpToolCallStart(McpClient.ReadResult(McpMethods.ToolsCall, answer, McpJsonContext.Default.CallToolResult), null);
    }

    /// <summary>
    /// The handle of a task this client or another one started, by its id: what a client that left and came back needs.
    /// The server answers only the principal that started the task (anyone else gets -32602, as for an unknown task).
    /// </summary>
    /// <exception cref="InvalidOperationException">The client speaks a 2025-era session, which has no tasks.</exception>
    public McpTaskHandle Attach(string taskId)
    {
        ArgumentException.ThrowIfNullOrEmpty(taskId);
        var sender = _client.PerRequest ?? throw new InvalidOperationException(
            $"Tasks are an extension of revision {ProtocolVersions.V20260728}; this client speaks {_client.ProtocolVersion}.");
        return new McpTaskHandle(sender, _client.Time, taskId, null);
    }
}

/// <summary>How a tool call started: with a task's <see cref="Handle"/>, or answered at once with its <see cref="Result"/>.</summary>
public sealed class McpToolCallStart
{
    internal McpToolCallStart(CallToolResult? result, McpTaskHandle? handle)
    {
        Result = result;
        Handle = handle;
    }

    /// <summary>The result, when the server answered the call at once.</summary>
    public CallToolResult? Result { get; }

    /// <summary>The task's handle, when the call became a task.</summary>
    public McpTaskHandle? Handle { get; }

    /// <summary>True when the call became a task.</summary>
    public bool IsTask => Handle is not null;
}

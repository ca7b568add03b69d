using McpSharp.JsonRpc;
using McpSharp.Protocol;

namespace McpSharp.Server;

/// <summary><c>tools/list</c> and <c>tools/call</c>.</summary>
internal static class ToolsFeature
{
    public static JsonPayload List(McpSession session, JsonRpcRequest request)
    {
        var page = session.Server.Tools.Page(McpSessionHandler.ReadCursor(request), session.Server.Options.PageSize, out string? next);
        var tools = AccessGate.Visible(session.Server, request, page, McpPrimitiveKind.Tool, static e => e.Definition, static d => d.Name);
        return JsonPayload.FromValue(new ListToolsResult { Tools = tools, NextCursor = next }, McpJsonContext.Default.ListToolsResult);
    }

    public static async ValueTask<JsonPayload> CallAsync(McpSession session, JsonRpcRequest request, CancellationToken cancellationToken)
    {
        var parameters = McpSessionHandler.ReadParams(request, McpJsonContext.Default.CallToolRequestParams);
        if (!session.Server.Tools.TryGet(parameters.Name, out var tool) || !AccessGate.Allows(session.Server, request, McpPrimitiveKind.Tool, parameters.Name))
        {
            // TOOL-ERR-PROTOCOL: an unknown tool is a protocol error, not a tool result.
            throw new McpProtocolException(McpErrorCodes.InvalidParams, $"Unknown tool: {parameters.Name}");
        }

        using var launch = TaskLaunchFor(session, request, tool.Definition, cancellationToken);
        var context = new McpRequestContext<CallToolRequestParams>(session, request, parameters, launch?.Token ?? cancellationToken) { Launch = launch };
        CallToolResult result;
        try
        {
            if (launch is null)
            {
                result = await tool.Handler(context).ConfigureAwait(false);
            }
            else
            {
                // The handler may start a task before it ends: then the call is answered with the task's handle at once.
                var run = tool.Handler(context).AsTask();
                await Task.WhenAny(run, launch.Started).ConfigureAwait(false);
                if (launch.Started.IsCompleted)
                {
                    // Started, even if the handler has also finished by now: the answer is the handle, the result the task's.
                    var task = await launch.Started.ConfigureAwait(false);
                    bool messages = session.Server.Options.IncludeExceptionMessages;
                    _ = run.ContinueWith((ended, _) => task.FinishAsync(ended, messages, parameters.Name), null, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).Unwrap();
                    if (cancellationToken.IsCancellationRequested)
                    {
                        // The caller gave up before the handle could reach it: nobody could ever poll or cancel this task.
                        task.CancelRequested();
                    }

                    return JsonPayload.FromValue(task.Created.Handle(), McpJsonContext.Default.CreateTaskResult);
                }

                result = await run.ConfigureAwait(false);
            }
        }
        catch (McpInputRequiredException) when (context.HasInputQuestions)
        {
            // MRTR: this attempt ends asking for what it needs; the retry runs the tool again with the answers.
            await context.CompleteAsync().ConfigureAwait(false);
            return context.InputRequiredResult();
        }
        catch (Exception ex) when (ex is not McpProtocolException && !(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            // A failing tool is a tool error the model can see (TOOL-ERR-INRESULT), never a crash or a -32603.
            result = CallToolResult.FromError(session.Server.Options.IncludeExceptionMessages
                ? $"Tool '{parameters.Name}' failed: {ex.Message}"
                : $"Tool '{parameters.Name}' failed.");
        }
        finally
        {
            // Progress reported during the call leaves before the response; none after it (PROG-STOP), nor for a task.
            await context.CompleteAsync().ConfigureAwait(false);
        }

        return JsonPayload.FromValue(result, McpJsonContext.Default.CallToolResult);
    }

    // A call can become a task when the tool supports tasks and this 2026-07-28 request declared the extension; a tool
    // that runs only as a task refuses a request that did not (-32021 naming the extension).
    private static TaskLaunch? TaskLaunchFor(McpSession session, JsonRpcRequest request, Tool tool, CancellationToken cancellationToken)
    {
        string? support = tool.Execution?.TaskSupport;
        if (support is not (McpTasks.SupportOptional or McpTasks.SupportRequired))
        {
            return null;
        }

        var client = session.ClientFor(request);
        if (!client.IsPerRequest)
        {
            return null;
        }

        if (!McpTasks.IsDeclared(client.Capabilities))
        {
            return support == McpTasks.SupportRequired ? throw TasksFeature.ExtensionRequired() : null;
        }

        return new TaskLaunch(session.Server, client.Principal, cancellationToken);
    }
}

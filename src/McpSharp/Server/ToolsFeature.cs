using McpSharp.JsonRpc;
using McpSharp.Protocol;

namespace McpSharp.Server;

/// <summary><c>tools/list</c> and <c>tools/call</c>.</summary>
internal static class ToolsFeature
{
    public static JsonPayload List(McpSession session, JsonRpcRequest request)
    {
        var page = session.Server.Tools.Page(McpSessionHandler.ReadCursor(request), session.Server.Options.PageSize, out string? next);
        var tools = new Tool[page.Count];
        for (int i = 0; i < tools.Length; i++)
        {
            tools[i] = page[i].Definition;
        }

        return JsonPayload.FromValue(new ListToolsResult { Tools = tools, NextCursor = next }, McpJsonContext.Default.ListToolsResult);
    }

    public static async ValueTask<JsonPayload> CallAsync(McpSession session, JsonRpcRequest request, CancellationToken cancellationToken)
    {
        var parameters = McpSessionHandler.ReadParams(request, McpJsonContext.Default.CallToolRequestParams);
        if (!session.Server.Tools.TryGet(parameters.Name, out var tool))
        {
            // TOOL-ERR-PROTOCOL: an unknown tool is a protocol error, not a tool result.
            throw new McpProtocolException(McpErrorCodes.InvalidParams, $"Unknown tool: {parameters.Name}");
        }

        var context = new McpRequestContext<CallToolRequestParams>(session, request, parameters, cancellationToken);
        CallToolResult result;
        try
        {
            result = await tool.Handler(context).ConfigureAwait(false);
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
            // Progress reported during the call leaves before the response; none after it (PROG-STOP).
            await context.CompleteAsync().ConfigureAwait(false);
        }

        return JsonPayload.FromValue(result, McpJsonContext.Default.CallToolResult);
    }
}

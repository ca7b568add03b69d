using McpSharp.JsonRpc;
using McpSharp.Protocol;

namespace McpSharp.Server;

/// <summary><c>prompts/list</c> and <c>prompts/get</c>.</summary>
internal static class PromptsFeature
{
    public static JsonPayload List(McpSession session, JsonRpcRequest request)
    {
        var page = session.Server.Prompts.Page(McpSessionHandler.ReadCursor(request), session.Server.Options.PageSize, out string? next);
        var prompts = AccessGate.Visible(session.Server, request, page, McpPrimitiveKind.Prompt, static e => e.Definition, static d => d.Name);

        return JsonPayload.FromValue(new ListPromptsResult { Prompts = prompts, NextCursor = next }, McpJsonContext.Default.ListPromptsResult);
    }

    public static async ValueTask<JsonPayload> GetAsync(McpSession session, JsonRpcRequest request, CancellationToken cancellationToken)
    {
        var parameters = McpSessionHandler.ReadParams(request, McpJsonContext.Default.GetPromptRequestParams);
        if (!session.Server.Prompts.TryGet(parameters.Name, out var prompt) || !AccessGate.Allows(session.Server, request, McpPrimitiveKind.Prompt, parameters.Name))
        {
            throw new McpProtocolException(McpErrorCodes.InvalidParams, $"Unknown prompt: {parameters.Name}");
        }

        // PROMPT-ERRORS: missing required arguments are -32602.
        foreach (var argument in prompt.Definition.Arguments ?? [])
        {
            if (argument.Required == true && (parameters.Arguments is null || !parameters.Arguments.ContainsKey(argument.Name)))
            {
                throw new McpProtocolException(McpErrorCodes.InvalidParams, $"Missing required argument '{argument.Name}' for prompt '{parameters.Name}'.");
            }
        }

        var context = new McpRequestContext<GetPromptRequestParams>(session, request, parameters, cancellationToken);
        GetPromptResult result;
        try
        {
            result = await prompt.Handler(context).ConfigureAwait(false);
        }
        catch (McpInputRequiredException) when (context.HasInputQuestions)
        {
            return context.InputRequiredResult();
        }
        finally
        {
            await context.CompleteAsync().ConfigureAwait(false);
        }

        return JsonPayload.FromValue(result, McpJsonContext.Default.GetPromptResult);
    }
}

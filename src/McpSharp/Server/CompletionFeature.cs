using McpSharp.JsonRpc;
using McpSharp.Protocol;

namespace McpSharp.Server;

/// <summary><c>completion/complete</c>.</summary>
internal static class CompletionFeature
{
    public static async ValueTask<JsonPayload> CompleteAsync(McpSession session, JsonRpcRequest request, CancellationToken cancellationToken)
    {
        var parameters = McpSessionHandler.ReadParams(request, McpJsonContext.Default.CompleteRequestParams);
        if (parameters.Ref is PromptReference prompt && (!session.Server.Prompts.TryGet(prompt.Name, out _) || !AccessGate.Allows(session.Server, request, McpPrimitiveKind.Prompt, prompt.Name)))
        {
            throw new McpProtocolException(McpErrorCodes.InvalidParams, $"Unknown prompt: {prompt.Name}");
        }

        if (parameters.Ref is ResourceTemplateReference template && !AccessGate.Allows(session.Server, request, McpPrimitiveKind.ResourceTemplate, template.Uri))
        {
            throw new McpProtocolException(McpErrorCodes.InvalidParams, $"Unknown resource template: {template.Uri}");
        }

        var handler = session.Server.CompletionHandler ?? throw new McpProtocolException(McpErrorCodes.MethodNotFound, "Method not found: completion/complete");
        var context = new McpRequestContext<CompleteRequestParams>(session, request, parameters, cancellationToken);
        Completion completion;
        try
        {
            completion = await handler(context).ConfigureAwait(false) ?? new Completion();
        }
        finally
        {
            await context.CompleteAsync().ConfigureAwait(false);
        }

        if (completion.Values.Count > Completion.MaxValues)
        {
            // COMP-MAX: at most 100 values; say there are more.
            completion = new Completion
            {
                Values = completion.Values.Take(Completion.MaxValues).ToArray(),
                Total = completion.Total ?? completion.Values.Count,
                HasMore = true,
            };
        }

        return JsonPayload.FromValue(new CompleteResult { Completion = completion }, McpJsonContext.Default.CompleteResult);
    }
}

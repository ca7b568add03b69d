using System.Net.Http.Headers;
using McpSharp.Client;
using McpSharp.JsonRpc;
using McpSharp.Protocol;

namespace McpSharp.Transports.Http;

/// <summary>
/// The headers a 2026-07-28 POST mirrors from its body, so an intermediary can route without reading it:
/// <c>MCP-Protocol-Version</c> equal to <c>_meta</c>'s (M26-HTTP-PV-HEADER), <c>Mcp-Method</c>, <c>Mcp-Name</c> for
/// <c>tools/call</c>, <c>prompts/get</c> and <c>resources/read</c> (M26-HTTP-MCP-NAME) and the task's id for
/// <c>tasks/get</c>, <c>tasks/update</c> and <c>tasks/cancel</c>, and a called tool's
/// <c>x-mcp-header</c> parameters as <c>Mcp-Param-{Name}</c> (M26-HTTP-XMCP-CLIENT; omitted when the value is null or
/// absent). Values that are not plain visible ASCII travel in the Base64 sentinel form.
/// </summary>
internal static class PerRequestHeaders
{
    public static void Add(HttpRequestHeaders headers, JsonRpcRequest request, string protocolVersion, ToolHeaderCatalog? tools)
    {
        headers.TryAddWithoutValidation(McpHttpHeaders.ProtocolVersion, protocolVersion);
        headers.TryAddWithoutValidation(McpHttpHeaders.Method, request.Method);
        switch (request.Method)
        {
            case McpMethods.ToolsCall when Read(request, McpJsonContext.Default.CallToolRequestParams) is { } call:
                headers.TryAddWithoutValidation(McpHttpHeaders.Name, McpHeaderValue.Encode(call.Name));
                if (tools is not null && tools.TryGet(call.Name, out var annotated))
                {
                    foreach (var parameter in annotated.Headers)
                    {
                        if (parameter.TryGetText(call.Arguments, out string? text))
                        {
                            headers.TryAddWithoutValidation(McpHttpHeaders.ParameterPrefix + parameter.Name, McpHeaderValue.Encode(text));
                        }
                    }
                }

                break;
            case McpMethods.PromptsGet when Read(request, McpJsonContext.Default.GetPromptRequestParams) is { } prompt:
                headers.TryAddWithoutValidation(McpHttpHeaders.Name, McpHeaderValue.Encode(prompt.Name));
                break;
            case McpMethods.ResourcesRead when Read(request, McpJsonContext.Default.ResourceRequestParams) is { } resource:
                headers.TryAddWithoutValidation(McpHttpHeaders.Name, McpHeaderValue.Encode(resource.Uri));
                break;
            case McpTasks.Get or McpTasks.Cancel when Read(request, McpJsonContext.Default.TaskRequestParams) is { } task:
                headers.TryAddWithoutValidation(McpHttpHeaders.Name, McpHeaderValue.Encode(task.TaskId));
                break;
            case McpTasks.Update when Read(request, McpJsonContext.Default.UpdateTaskRequestParams) is { } update:
                headers.TryAddWithoutValidation(McpHttpHeaders.Name, McpHeaderValue.Encode(update.TaskId));
                break;
        }
    }

    // The client built these params itself, so this is the typed value, not a parse.
    private static T? Read<T>(JsonRpcRequest request, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            return request.Params.Deserialize(type);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}

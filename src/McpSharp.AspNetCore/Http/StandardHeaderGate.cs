using McpSharp.JsonRpc;
using McpSharp.Protocol;
using McpSharp.Server;
using McpSharp.Transports.Http;
using Microsoft.AspNetCore.Http;

namespace McpSharp.AspNetCore.Http;

/// <summary>
/// The headers a 2026-07-28 request mirrors from its body (M26-HTTP-MCP-METHOD, M26-HTTP-MCP-NAME,
/// M26-HTTP-XMCP-SERVER): <c>Mcp-Method</c> always, <c>Mcp-Name</c> for <c>tools/call</c>, <c>prompts/get</c>,
/// <c>resources/read</c> and the tasks extension's <c>tasks/get</c>, <c>tasks/update</c> and <c>tasks/cancel</c> (its
/// <c>taskId</c>), and the <c>Mcp-Param-*</c> headers of the called tool's <c>x-mcp-header</c> parameters. Names
/// compare case-insensitively, values exactly (after trimming surrounding whitespace and decoding the Base64 sentinel).
/// Anything missing, malformed or different is -32020 (400), so an intermediary that routes on a header can never be
/// made to disagree with what the server executes.
/// </summary>
internal static class StandardHeaderGate
{
    public static JsonRpcError? Check(HttpRequest http, JsonRpcRequest request, McpServer server)
    {
        string? method = Header(http, McpHttpHeaders.Method);
        if (method is null)
        {
            return McpErrors.HeaderMismatch("the Mcp-Method header is required.");
        }

        if (!string.Equals(method, request.Method, StringComparison.Ordinal))
        {
            return McpErrors.HeaderMismatch($"Mcp-Method '{method}' does not match the body's method '{request.Method}'.");
        }

        string? nameMember = request.Method switch
        {
            McpMethods.ToolsCall or McpMethods.PromptsGet => "name",
            McpMethods.ResourcesRead => "uri",
            McpTasks.Get or McpTasks.Update or McpTasks.Cancel => "taskId",
            _ => null,
        };
        if (nameMember is null)
        {
            return null;
        }

        var parameters = request.Params.IsNone ? default : request.Params.Deserialize(McpJsonContext.Default.JsonElement);
        string? bodyName = parameters.ValueKind == System.Text.Json.JsonValueKind.Object && parameters.TryGetProperty(nameMember, out var n) && n.ValueKind == System.Text.Json.JsonValueKind.String ? n.GetString() : null;
        string? header = Header(http, McpHttpHeaders.Name);
        if (header is null)
        {
            return bodyName is null ? null : McpErrors.HeaderMismatch($"the Mcp-Name header is required for {request.Method}.");
        }

        if (!McpHeaderValue.TryDecode(header, out string? name))
        {
            return McpErrors.HeaderMismatch("Mcp-Name is not a valid header value (characters, or the =?base64?...?= form).");
        }

        if (!string.Equals(name, bodyName, StringComparison.Ordinal))
        {
            return McpErrors.HeaderMismatch($"Mcp-Name '{name}' does not match the body's {nameMember} '{bodyName}'.");
        }

        // A tool the caller may not use is not checked here: it is answered as unknown, like one that does not exist.
        return request.Method == McpMethods.ToolsCall && server.Tools.TryGet(name, out var tool)
            && (server.Options.AccessFilter is not { } filter || filter(McpSharp.Server.McpPrimitiveKind.Tool, name, request.User))
            ? CheckParameters(http, tool.Definition, parameters)
            : null;
    }

    private static JsonRpcError? CheckParameters(HttpRequest http, Tool tool, System.Text.Json.JsonElement parameters)
    {
        if (!ToolParameterHeaders.TryRead(tool, out var annotated, out _) || annotated.Headers.Count == 0)
        {
            return null;
        }

        Dictionary<string, System.Text.Json.JsonElement>? arguments = null;
        if (parameters.TryGetProperty("arguments", out var args) && args.ValueKind == System.Text.Json.JsonValueKind.Object)
        {
            arguments = args.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
        }

        foreach (var parameter in annotated.Headers)
        {
            string headerName = McpHttpHeaders.ParameterPrefix + parameter.Name;
            string? raw = Header(http, headerName);
            bool hasValue = parameter.TryGetText(arguments, out _);
            if (raw is null)
            {
                if (hasValue)
                {
                    return McpErrors.HeaderMismatch($"the {headerName} header is required: the arguments carry '{string.Join('.', parameter.Path)}'.");
                }

                continue;
            }

            if (!McpHeaderValue.TryDecode(raw, out string? text))
            {
                return McpErrors.HeaderMismatch($"{headerName} is not a valid header value (characters, or the =?base64?...?= form).");
            }

            if (!hasValue || !ToolParameterHeader.Matches(text, ValueAt(arguments!, parameter.Path)))
            {
                return McpErrors.HeaderMismatch($"{headerName} does not match the argument '{string.Join('.', parameter.Path)}'.");
            }
        }

        return null;
    }

    private static System.Text.Json.JsonElement ValueAt(Dictionary<string, System.Text.Json.JsonElement> arguments, IReadOnlyList<string> path)
    {
        var value = arguments[path[0]];
        for (int i = 1; i < path.Count; i++)
        {
            value = value.GetProperty(path[i]);
        }

        return value;
    }

    // One value, surrounding whitespace trimmed (M26-HTTP-HEADER-CASE: optional whitespace is not part of the value).
    private static string? Header(HttpRequest http, string name)
    {
        var values = http.Headers[name];
        return values.Count == 0 ? null : values.ToString().Trim(' ', '\t');
    }
}

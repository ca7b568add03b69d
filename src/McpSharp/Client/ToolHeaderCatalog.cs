using System.Collections.Concurrent;
using McpSharp.Protocol;
using Microsoft.Extensions.Logging;

namespace McpSharp.Client;

/// <summary>
/// The <c>x-mcp-header</c> parameters of the server's tools, as the client last listed them (2026-07-28 over HTTP): the
/// transport mirrors them as <c>Mcp-Param-*</c> headers on <c>tools/call</c> (M26-HTTP-XMCP-CLIENT). A tool whose
/// annotations are invalid is dropped from what the application sees, with a warning (M26-HTTP-XMCP-VALIDITY): calling
/// it could never carry the headers a server or an intermediary relies on.
/// </summary>
internal sealed partial class ToolHeaderCatalog(ILogger logger)
{
    private readonly ConcurrentDictionary<string, ToolParameterHeaders> _tools = new(StringComparer.Ordinal);

    /// <summary>The headers of <paramref name="toolName"/>; false when the tool was never listed or has none.</summary>
    public bool TryGet(string toolName, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ToolParameterHeaders? headers) =>
        _tools.TryGetValue(toolName, out headers);

    /// <summary>Learns the tools of a <c>tools/list</c> page and removes those with invalid annotations from it.</summary>
    public void Learn(IList<Tool> tools)
    {
        for (int i = tools.Count - 1; i >= 0; i--)
        {
            var tool = tools[i];
            if (ToolParameterHeaders.TryRead(tool, out var headers, out string? problem))
            {
                if (headers.Headers.Count > 0)
                {
                    _tools[tool.Name] = headers;
                }
                else
                {
                    _tools.TryRemove(tool.Name, out _);
                }
            }
            else
            {
                LogInvalidTool(logger, tool.Name, problem!);
                _tools.TryRemove(tool.Name, out _);
                tools.RemoveAt(i);
            }
        }
    }

    [LoggerMessage(210, LogLevel.Warning, "Tool '{Tool}' is left out of tools/list: {Problem} (M26-HTTP-XMCP-VALIDITY).")]
    private static partial void LogInvalidTool(ILogger logger, string tool, string problem);
}

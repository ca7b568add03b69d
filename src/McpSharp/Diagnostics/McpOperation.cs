using System.Diagnostics;
using System.Diagnostics.Metrics;
using McpSharp.JsonRpc;
using McpSharp.Protocol;

namespace McpSharp.Diagnostics;

/// <summary>
/// One request or notification being timed and traced: the span's attributes (per the MCP conventions) and the
/// histogram's low-cardinality subset (no session id, request id or resource URI). Ends once.
/// </summary>
internal sealed class McpOperation(Histogram<double> histogram, Activity? activity, long started, TimeProvider time)
{
    private TagList _tags;
    private string? _method;
    private TelemetryContext? _context;
    private int _ended;

    public Activity? Activity => activity;

    public McpOperation Describe(string method, string? id, RequestFields fields, TelemetryContext context, JsonRpcRequest? request)
    {
        _method = method;
        _context = context;
        Tag("mcp.method.name", method);
        activity?.SetTag("jsonrpc.request.id", id);
        if (context.ProtocolVersion(request) is { } version)
        {
            Tag("mcp.protocol.version", version);
        }

        activity?.SetTag("mcp.session.id", context.SessionId);
        if (context.NetworkTransport is { } transport)
        {
            Tag("network.transport", transport);
        }

        switch (method)
        {
            case McpMethods.ToolsCall when fields.Name is { } tool:
                Tag("gen_ai.tool.name", tool);
                Tag("gen_ai.operation.name", "execute_tool");
                break;
            case McpMethods.PromptsGet when fields.Name is { } prompt:
                Tag("gen_ai.prompt.name", prompt);
                break;
            case McpMethods.ResourcesRead or McpMethods.ResourcesSubscribe or McpMethods.ResourcesUnsubscribe or McpMethods.NotificationsResourcesUpdated:
                activity?.SetTag("mcp.resource.uri", fields.Uri);
                break;
        }

        return this;
    }

    /// <summary>The operation answered: a tool result with <c>isError</c> still counts as failed (<c>tool_error</c>).</summary>
    public void Succeeded(JsonPayload result)
    {
        if (_method == McpMethods.Initialize && _context?.ProtocolVersion(null) is { } negotiated)
        {
            // Known only once initialize has run.
            Tag("mcp.protocol.version", negotiated);
        }

        if (_method == McpMethods.ToolsCall && IsToolError(result))
        {
            Failed("tool_error", statusCode: null, description: null);
        }
    }

    /// <summary>A JSON-RPC error (its code is the error type and status code), a timeout, a cancellation, a broken connection.</summary>
    public void Failed(string errorType, string? statusCode, string? description)
    {
        Tag("error.type", errorType);
        if (statusCode is not null)
        {
            Tag("rpc.response.status_code", statusCode);
        }

        activity?.SetStatus(ActivityStatusCode.Error, description);
    }

    /// <summary>The error this side answers with (or received): its code is the error type and the status code.</summary>
    public void Failed(JsonRpcError error)
    {
        string code = error.Code.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Failed(code, code, error.Message);
    }

    public void Failed(Exception exception)
    {
        switch (exception)
        {
            case McpProtocolException protocol:
                string code = protocol.ErrorCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
                Failed(code, code, protocol.Message);
                break;
            case TimeoutException:
                Failed("timeout", null, exception.Message);
                break;
            case OperationCanceledException:
                Failed("cancelled", null, exception.Message);
                break;
            default:
                Failed(exception.GetType().FullName ?? "_OTHER", null, exception.Message);
                break;
        }
    }

    public void End()
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0)
        {
            return;
        }

        if (histogram.Enabled)
        {
            histogram.Record(time.GetElapsedTime(started).TotalSeconds, _tags);
        }

        activity?.Dispose();
    }

    private static bool IsToolError(JsonPayload result)
    {
        if (result.Value is CallToolResult typed)
        {
            return typed.IsError == true;
        }

        return RequestFields.ReadIsError(result.Value is null ? result.Raw : result.ToUtf8());
    }

    private void Tag(string name, string value)
    {
        _tags.Add(name, value);
        activity?.SetTag(name, value);
    }
}

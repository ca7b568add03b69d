using System.Diagnostics;
using System.Diagnostics.Metrics;
using McpSharp.JsonRpc;
using McpSharp.Protocol;

namespace McpSharp.Diagnostics;

/// <summary>
/// The activity source and the start of an operation's telemetry (its histograms are the context's
/// <see cref="McpMetrics"/>): null, at the cost of three checks, when nobody listens.
/// </summary>
internal static class McpTelemetry
{
    public static readonly ActivitySource Source = new(McpDiagnostics.ActivitySourceName, McpDiagnostics.Version);

    /// <summary>A request or notification received: its SERVER span (parented on the sender's <c>_meta</c>) and timing.</summary>
    public static McpOperation? StartIncoming(JsonRpcMessage message, TelemetryContext context)
    {
        bool traced = Source.HasListeners();
        if (!traced && !context.Metrics.ServerOperationDuration.Enabled)
        {
            return null;
        }

        var (method, id, parameters) = Describe(message);
        var fields = RequestFields.Read(parameters.Raw);
        Activity? activity = null;
        if (traced)
        {
            // The sender's context (params._meta) is the parent, and the ambient one (the HTTP request's) is linked.
            // Without one, the ambient span is the parent if it is recorded; one nobody records (ASP.NET Core makes
            // its request activity for log correlation even when no tracer samples it) would make ours unsampled too,
            // so it is only linked.
            var ambient = Activity.Current;
            bool remote = fields.TryGetParent(out var parent);
            bool nested = !remote && ambient is { Recorded: true };
            if (!nested && ambient is not null)
            {
                // A default parent means "Activity.Current" to StartActivity: clear it (in this flow only) to start a root.
                Activity.Current = null;
            }

            activity = Source.StartActivity(
                SpanName(method, fields),
                ActivityKind.Server,
                remote ? parent : nested ? ambient!.Context : default,
                links: ambient is not null && !nested ? [new ActivityLink(ambient.Context)] : null);
            fields.ApplyBaggage(activity);
        }

        return new McpOperation(context.Metrics.ServerOperationDuration, activity, context.Time.GetTimestamp(), context.Time)
            .Describe(method, id, fields, context, message as JsonRpcRequest);
    }

    /// <summary>
    /// A request sent: its CLIENT span and timing; the span's context goes into <paramref name="parameters"/>'
    /// <c>_meta</c> (<c>traceparent</c>, <c>tracestate</c>, <c>baggage</c>) so the receiver's span is its child.
    /// </summary>
    public static McpOperation? StartOutgoing(RequestId id, string method, ref JsonPayload parameters, TelemetryContext context)
    {
        bool traced = Source.HasListeners();
        if (!traced && !context.Metrics.ClientOperationDuration.Enabled)
        {
            return null;
        }

        var utf8 = parameters.ToUtf8();
        var fields = RequestFields.Read(utf8);
        Activity? activity = traced ? Source.StartActivity(SpanName(method, fields), ActivityKind.Client) : null;
        if (activity is not null)
        {
            parameters = RequestFields.Inject(utf8, activity);
        }

        return new McpOperation(context.Metrics.ClientOperationDuration, activity, context.Time.GetTimestamp(), context.Time)
            .Describe(method, id.ToString(), fields, context, request: null);
    }

    /// <summary>Records a session's lifetime (2025 sessions only: a stateless or 2026-07-28 exchange is no session).</summary>
    public static void RecordSession(Histogram<double> histogram, long started, TelemetryContext context, string? protocolVersion)
    {
        if (!histogram.Enabled)
        {
            return;
        }

        var tags = new TagList();
        if (protocolVersion is not null)
        {
            tags.Add("mcp.protocol.version", protocolVersion);
        }

        if (context.NetworkTransport is { } transport)
        {
            tags.Add("network.transport", transport);
        }

        histogram.Record(context.Time.GetElapsedTime(started).TotalSeconds, tags);
    }

    // {mcp.method.name} {target}: the tool or prompt name; never the resource URI (high cardinality).
    private static string SpanName(string method, RequestFields fields) =>
        fields.Name is { } name && method is McpMethods.ToolsCall or McpMethods.PromptsGet ? method + " " + name : method;

    private static (string Method, string? Id, JsonPayload Parameters) Describe(JsonRpcMessage message) => message switch
    {
        JsonRpcRequest request => (request.Method, request.Id.ToString(), request.Params),
        JsonRpcNotification notification => (notification.Method, null, notification.Params),
        _ => ("response", null, JsonPayload.None),
    };
}

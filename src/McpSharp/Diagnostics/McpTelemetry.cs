using System.Diagnostics;
using System.Diagnostics.Metrics;
using McpSharp.JsonRpc;
using McpSharp.Protocol;

namespace McpSharp.Diagnostics;

/// <summary>
/// The activity source, the meter and its four histograms (the conventions' bucket boundaries), and the start of an
/// operation's telemetry: null, at the cost of three checks, when nobody listens.
/// </summary>
internal static class McpTelemetry
{
    // ExplicitBucketBoundaries of every MCP duration histogram (seconds), per the conventions.
    private static readonly double[] Buckets = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300];

    public static readonly ActivitySource Source = new(McpDiagnostics.ActivitySourceName, Version);

    public static readonly Meter Meter = new(McpDiagnostics.MeterName, Version);

    public static readonly Histogram<double> ServerOperationDuration = Histogram(
        "mcp.server.operation.duration", "MCP request or notification duration as observed on the receiver from the time it was received until the result or ack is sent.");

    public static readonly Histogram<double> ClientOperationDuration = Histogram(
        "mcp.client.operation.duration", "The duration of the MCP request or notification as observed on the sender from the time it was sent until the response or ack is received.");

    public static readonly Histogram<double> ServerSessionDuration = Histogram("mcp.server.session.duration", "The duration of the MCP session as observed on the MCP server.");

    public static readonly Histogram<double> ClientSessionDuration = Histogram("mcp.client.session.duration", "The duration of the MCP session as observed on the MCP client.");

    private static string Version => typeof(McpTelemetry).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>A request or notification received: its SERVER span (parented on the sender's <c>_meta</c>) and timing.</summary>
    public static McpOperation? StartIncoming(JsonRpcMessage message, TelemetryContext context)
    {
        bool traced = Source.HasListeners();
        if (!traced && !ServerOperationDuration.Enabled)
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

        return new McpOperation(ServerOperationDuration, activity, context.Time.GetTimestamp(), context.Time)
            .Describe(method, id, fields, context, message as JsonRpcRequest);
    }

    /// <summary>
    /// A request sent: its CLIENT span and timing; the span's context goes into <paramref name="parameters"/>'
    /// <c>_meta</c> (<c>traceparent</c>, <c>tracestate</c>, <c>baggage</c>) so the receiver's span is its child.
    /// </summary>
    public static McpOperation? StartOutgoing(RequestId id, string method, ref JsonPayload parameters, TelemetryContext context)
    {
        bool traced = Source.HasListeners();
        if (!traced && !ClientOperationDuration.Enabled)
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

        return new McpOperation(ClientOperationDuration, activity, context.Time.GetTimestamp(), context.Time)
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

    private static Histogram<double> Histogram(string name, string description) =>
        Meter.CreateHistogram(name, "s", description, tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets });
}

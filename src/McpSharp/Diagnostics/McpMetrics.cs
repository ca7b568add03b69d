using System.Diagnostics.Metrics;

namespace McpSharp.Diagnostics;

/// <summary>
/// The meter <see cref="McpDiagnostics.MeterName"/> and the conventions' four duration histograms (their bucket
/// boundaries). Made through the application's <see cref="IMeterFactory"/> when one is given (the hosting extensions
/// give the container's), so that each host's measurements are its own; otherwise one process-wide meter.
/// </summary>
internal sealed class McpMetrics
{
    // ExplicitBucketBoundaries of every MCP duration histogram (seconds), per the conventions.
    private static readonly double[] Buckets = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300];

    private McpMetrics(Meter meter)
    {
        ServerOperationDuration = Histogram(meter, "mcp.server.operation.duration", "MCP request or notification duration as observed on the receiver from the time it was received until the result or ack is sent.");
        ClientOperationDuration = Histogram(meter, "mcp.client.operation.duration", "The duration of the MCP request or notification as observed on the sender from the time it was sent until the response or ack is received.");
        ServerSessionDuration = Histogram(meter, "mcp.server.session.duration", "The duration of the MCP session as observed on the MCP server.");
        ClientSessionDuration = Histogram(meter, "mcp.client.session.duration", "The duration of the MCP session as observed on the MCP client.");
    }

    /// <summary>The process-wide instruments, for servers and clients made without a meter factory.</summary>
    public static McpMetrics Shared { get; } = new(new Meter(McpDiagnostics.MeterName, McpDiagnostics.Version));

    public Histogram<double> ServerOperationDuration { get; }

    public Histogram<double> ClientOperationDuration { get; }

    public Histogram<double> ServerSessionDuration { get; }

    public Histogram<double> ClientSessionDuration { get; }

    /// <summary>The instruments of <paramref name="factory"/>'s meter (the factory keeps one meter per name), or the shared ones.</summary>
    public static McpMetrics From(IMeterFactory? factory) =>
        factory is null ? Shared : new(factory.Create(new MeterOptions(McpDiagnostics.MeterName) { Version = McpDiagnostics.Version }));

    private static Histogram<double> Histogram(Meter meter, string name, string description) =>
        meter.CreateHistogram(name, "s", description, tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets });
}

namespace McpSharp.Diagnostics;

/// <summary>
/// The names under which McpSharp reports traces and metrics, per the OpenTelemetry semantic conventions for MCP: one
/// span per request or notification (<c>{mcp.method.name} {target}</c>, SERVER kind where it is received, CLIENT kind
/// where it is sent), W3C trace context carried in <c>params._meta</c> both ways, and the histograms
/// <c>mcp.{client,server}.operation.duration</c> and <c>mcp.{client,server}.session.duration</c>. With OpenTelemetry:
/// <c>.AddSource(McpDiagnostics.ActivitySourceName)</c> and <c>.AddMeter(McpDiagnostics.MeterName)</c>. Nothing is
/// measured or parsed while nobody listens.
/// </summary>
public static class McpDiagnostics
{
    /// <summary>The <see cref="System.Diagnostics.ActivitySource"/> name.</summary>
    public const string ActivitySourceName = "McpSharp";

    /// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/> name.</summary>
    public const string MeterName = "McpSharp";

    /// <summary>The version the activity source and the meter report: McpSharp's (three parts).</summary>
    public static string Version { get; } = typeof(McpDiagnostics).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}

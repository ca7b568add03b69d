using System.Diagnostics;
using System.Diagnostics.Metrics;
using McpSharp.Diagnostics;

namespace McpSharp.AspNetCore;

/// <summary>
/// What an operator of the HTTP transport watches, beside the MCP conventions' histograms (in the style of SignalR's and
/// Kestrel's connection metrics; names under <c>mcpsharp.</c>, outside the conventions' <c>mcp.</c> namespace), on the
/// meter <see cref="McpDiagnostics.MeterName"/> made through <see cref="IMeterFactory"/>:
/// <c>mcpsharp.server.active_sessions</c> and <c>mcpsharp.server.active_streams</c> (this node's live sessions and open
/// SSE connections), <c>mcpsharp.server.evicted_sessions</c> (by <c>reason</c>) and
/// <c>mcpsharp.server.rejected_requests</c> (by <c>http.response.status_code</c> and <c>http.request.method</c>).
/// </summary>
internal sealed class HttpTransportMetrics : IDisposable
{
    private readonly Meter _meter;
    private readonly Counter<long> _evicted;
    private readonly Counter<long> _rejected;
    private Func<(int Sessions, int Streams)>? _live;

    public HttpTransportMetrics(IMeterFactory? meterFactory)
    {
        _meter = meterFactory?.Create(new MeterOptions(McpDiagnostics.MeterName) { Version = McpDiagnostics.Version }) ?? new Meter(McpDiagnostics.MeterName, McpDiagnostics.Version);
        _meter.CreateObservableUpDownCounter("mcpsharp.server.active_sessions", () => _live?.Invoke().Sessions ?? 0, "{session}", "Sessions this node holds live.");
        _meter.CreateObservableUpDownCounter("mcpsharp.server.active_streams", () => _live?.Invoke().Streams ?? 0, "{stream}", "SSE connections this node is serving (POST answers and GET streams).");
        _evicted = _meter.CreateCounter<long>("mcpsharp.server.evicted_sessions", "{session}", "Sessions ended to make room at the session limit.");
        _rejected = _meter.CreateCounter<long>("mcpsharp.server.rejected_requests", "{request}", "HTTP requests answered with an error status by the MCP endpoint.");
    }

    /// <summary>Where the live counts come from (the node's sessions).</summary>
    public void Observe(Func<(int Sessions, int Streams)> live) => _live = live;

    public void Evicted(string reason)
    {
        if (_evicted.Enabled)
        {
            _evicted.Add(1, new KeyValuePair<string, object?>("reason", reason));
        }
    }

    public void Rejected(int status, string method)
    {
        if (_rejected.Enabled)
        {
            _rejected.Add(1, new TagList { { "http.response.status_code", status }, { "http.request.method", method } });
        }
    }

    public void Dispose() => _meter.Dispose();
}

using System.Diagnostics;
using System.Net;
using McpSharp.AspNetCore.Tests.TestSupport;
using McpSharp.Client;
using McpSharp.Diagnostics;
using McpSharp.Protocol;
using McpSharp.Tests.TestSupport;
using McpSharp.Transports.Http;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using static McpSharp.AspNetCore.Tests.TestSupport.TestServer;

namespace McpSharp.AspNetCore.Tests;

/// <summary>
/// Traces and metrics per the OpenTelemetry semantic conventions for MCP, through the OpenTelemetry SDK and its
/// in-memory exporter, over real HTTP: the client's CLIENT span is the parent of the server's SERVER span (trace context
/// in <c>params._meta</c>), which links the HTTP request's span; attributes, error types, and the four histograms with the
/// conventions' buckets. Listeners are process-wide, so each test picks its spans out by a tool name of its own.
/// </summary>
public sealed class TelemetryTests : IDisposable
{
    private static readonly double[] Buckets = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300];
    private readonly SpanLog _spans = new();
    private readonly List<Metric> _metrics = [];
    private readonly TracerProvider _tracing;
    private readonly MeterProvider _meters;
    private readonly string _tool = "t" + Guid.NewGuid().ToString("N")[..8];

    public TelemetryTests()
    {
        _tracing = Sdk.CreateTracerProviderBuilder().AddSource(McpDiagnostics.ActivitySourceName, "Microsoft.AspNetCore").AddInMemoryExporter(_spans).Build()!;
        _meters = Sdk.CreateMeterProviderBuilder().AddMeter(McpDiagnostics.MeterName).AddInMemoryExporter(_metrics).Build()!;
    }

    public void Dispose()
    {
        _tracing.Dispose();
        _meters.Dispose();
    }

    private Task<TestServer> StartAsync() => TestServer.StartAsync(configure: s =>
    {
        s.Tools.Add(new Tool { Name = _tool, InputSchema = Json("""{"type":"object","properties":{"fail":{"type":"boolean"}}}""") }, ctx =>
            ValueTask.FromResult(ctx.Params.Arguments?["fail"].GetBoolean() == true ? CallToolResult.FromError("no") : CallToolResult.FromText("ok")));
    });

    private static async Task<(McpClient Client, StreamableHttpClientTransport Transport)> ConnectAsync(TestServer server, ProtocolMode mode)
    {
        var transport = new StreamableHttpClientTransport(new HttpClientTransportOptions { Endpoint = server.Endpoint, OpenStandaloneStream = false });
        return (await McpClient.ConnectAsync(transport, new McpClientOptions { ProtocolMode = mode }), transport);
    }

    private static Dictionary<string, System.Text.Json.JsonElement> Fail(bool fail) => new() { ["fail"] = Json(fail ? "true" : "false") };

    // The tool's spans, once both sides ended theirs.
    private async Task<(Activity Client, Activity Server)> CallSpansAsync(int calls = 1, string? tool = null)
    {
        string name = "tools/call " + (tool ?? _tool);
        Activity[] Of(ActivityKind kind) => _spans.Snapshot().Where(s => s.DisplayName == name && s.Kind == kind).ToArray();

        await Eventually.WaitUntilAsync(() => Of(ActivityKind.Client).Length >= calls && Of(ActivityKind.Server).Length >= calls, "the spans of both sides");
        return (Of(ActivityKind.Client)[calls - 1], Of(ActivityKind.Server)[calls - 1]);
    }

    private static string? Tag(Activity span, string name) => span.GetTagItem(name) as string;

    [Fact]
    public async Task A_tool_call_is_a_client_span_parenting_the_server_span_through_meta_with_the_conventions_attributes()
    {
        await using var server = await StartAsync();
        var (client, transport) = await ConnectAsync(server, ProtocolMode.Legacy);
        await using (client)
        {
            await client.CallToolAsync(_tool, Fail(false));
            var (clientSpan, serverSpan) = await CallSpansAsync();

            // One trace: the server's span is the child of the client's (not of the HTTP request), and links the HTTP span.
            Assert.Equal(clientSpan.TraceId, serverSpan.TraceId);
            Assert.Equal(clientSpan.SpanId, serverSpan.ParentSpanId);
            var http = Assert.Single(serverSpan.Links);
            Assert.Contains(_spans.Snapshot(), s => s.Source.Name == "Microsoft.AspNetCore" && s.SpanId == http.Context.SpanId);

            foreach (var span in new[] { clientSpan, serverSpan })
            {
                Assert.Equal("tools/call", Tag(span, "mcp.method.name"));
                Assert.Equal(_tool, Tag(span, "gen_ai.tool.name"));
                Assert.Equal("execute_tool", Tag(span, "gen_ai.operation.name"));
                Assert.Equal("2025-11-25", Tag(span, "mcp.protocol.version"));
                Assert.Equal(transport.SessionId, Tag(span, "mcp.session.id"));
                Assert.Equal("tcp", Tag(span, "network.transport"));
                Assert.NotNull(Tag(span, "jsonrpc.request.id"));
                Assert.Null(span.GetTagItem("error.type"));
                Assert.Equal(ActivityStatusCode.Unset, span.Status);
            }
        }
    }

    [Fact]
    public async Task A_tool_error_result_and_a_json_rpc_error_are_error_types_on_both_sides()
    {
        await using var server = await StartAsync();
        var (client, _) = await ConnectAsync(server, ProtocolMode.Legacy);
        await using (client)
        {
            Assert.True((await client.CallToolAsync(_tool, Fail(true))).IsError);
            var (clientSpan, serverSpan) = await CallSpansAsync();
            Assert.All(new[] { clientSpan, serverSpan }, span =>
            {
                Assert.Equal("tool_error", Tag(span, "error.type"));
                Assert.Equal(ActivityStatusCode.Error, span.Status);
            });

            // An unknown tool: a JSON-RPC error, whose code is both the error type and the status code.
            await Assert.ThrowsAsync<McpProtocolException>(() => client.CallToolAsync(_tool + "-missing"));
            var (failedClient, failedServer) = await CallSpansAsync(tool: _tool + "-missing");
            Assert.All(new[] { failedClient, failedServer }, span =>
            {
                Assert.Equal("-32602", Tag(span, "error.type"));
                Assert.Equal("-32602", Tag(span, "rpc.response.status_code"));
                Assert.Equal(ActivityStatusCode.Error, span.Status);
            });
        }
    }

    [Fact]
    public async Task A_2026_request_has_its_own_version_and_no_session_id()
    {
        await using var server = await StartAsync();
        var (client, _) = await ConnectAsync(server, ProtocolMode.Modern);
        await using (client)
        {
            Assert.True(client.IsPerRequest);
            await client.CallToolAsync(_tool, Fail(false));
            var (clientSpan, serverSpan) = await CallSpansAsync();
            Assert.Equal(clientSpan.SpanId, serverSpan.ParentSpanId);
            Assert.All(new[] { clientSpan, serverSpan }, span =>
            {
                Assert.Equal("2026-07-28", Tag(span, "mcp.protocol.version"));
                Assert.Null(span.GetTagItem("mcp.session.id"));
            });
        }
    }

    [Fact]
    public async Task A_traceparent_in_meta_from_any_client_parents_the_server_span()
    {
        await using var server = await StartAsync();
        string sid = await server.InitializeAsync();
        const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        string body = $$$$"""{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"{{{{_tool}}}}","arguments":{},"_meta":{"traceparent":"00-{{{{TraceId}}}}-00f067aa0ba902b7-01","tracestate":"rojo=00f067aa0ba902b7","baggage":"user=alice"}}}""";
        using (var call = await server.PostAsync(body, sid))
        {
            Assert.Equal(HttpStatusCode.OK, call.StatusCode);
            await ReadMessagesAsync(call);
        }

        Activity? span = null;
        await Eventually.WaitUntilAsync(() => (span = _spans.Snapshot().FirstOrDefault(s => s.DisplayName == "tools/call " + _tool && s.Kind == ActivityKind.Server)) is not null, "the server span");
        Assert.Equal(TraceId, span!.TraceId.ToHexString());
        Assert.Equal("00f067aa0ba902b7", span.ParentSpanId.ToHexString());
        Assert.Equal("rojo=00f067aa0ba902b7", span.TraceStateString);
        Assert.Equal("alice", span.GetBaggageItem("user"));
        Assert.Equal("9", Tag(span, "jsonrpc.request.id"));
        Assert.Equal(sid, Tag(span, "mcp.session.id"));
    }

    [Fact]
    public async Task Operation_and_session_durations_are_recorded_with_the_conventions_buckets_and_low_cardinality_tags()
    {
        await using var server = await StartAsync();
        var (client, _) = await ConnectAsync(server, ProtocolMode.Legacy);
        await client.CallToolAsync(_tool, Fail(false));
        await client.CallToolAsync(_tool, Fail(true));
        await CallSpansAsync(calls: 2);
        await client.DisposeAsync();
        await Eventually.WaitUntilAsync(() => server.Sessions.Count == 0, "the session to end on the server");
        _meters.ForceFlush();

        foreach (string name in new[] { "mcp.client.operation.duration", "mcp.server.operation.duration" })
        {
            var points = Points(name).Where(p => Tags(p).GetValueOrDefault("gen_ai.tool.name") as string == _tool).ToList();
            Assert.Equal(2, points.Sum(p => p.GetHistogramCount()));
            Assert.Contains(points, p => Tags(p).GetValueOrDefault("error.type") as string == "tool_error");
            Assert.All(points, p =>
            {
                var tags = Tags(p);
                Assert.Equal("tools/call", tags["mcp.method.name"]);
                Assert.False(tags.ContainsKey("mcp.session.id"));
                Assert.False(tags.ContainsKey("jsonrpc.request.id"));
                Assert.Equal(Buckets, Bounds(p));
            });
        }

        foreach (string name in new[] { "mcp.client.session.duration", "mcp.server.session.duration" })
        {
            var points = Points(name).ToList();
            Assert.True(points.Sum(p => p.GetHistogramCount()) >= 1, name);
            Assert.All(points, p => Assert.Equal(Buckets, Bounds(p)));
        }
    }

    private IEnumerable<MetricPoint> Points(string name)
    {
        foreach (var metric in _metrics.Where(m => m.Name == name))
        {
            Assert.Equal("s", metric.Unit);
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                yield return point;
            }
        }
    }

    private static Dictionary<string, object?> Tags(MetricPoint point)
    {
        var tags = new Dictionary<string, object?>();
        foreach (var tag in point.Tags)
        {
            tags[tag.Key] = tag.Value;
        }

        return tags;
    }

    private static double[] Bounds(MetricPoint point)
    {
        var bounds = new List<double>();
        foreach (var bucket in point.GetHistogramBuckets())
        {
            if (!double.IsPositiveInfinity(bucket.ExplicitBound))
            {
                bounds.Add(bucket.ExplicitBound);
            }
        }

        return [.. bounds];
    }

    // The exporter adds from whichever thread ends a span (other tests' too): a collection it can add to safely.
    private sealed class SpanLog : ICollection<Activity>
    {
        private readonly List<Activity> _items = [];

        public int Count => Snapshot().Length;

        public bool IsReadOnly => false;

        public Activity[] Snapshot()
        {
            lock (_items)
            {
                return [.. _items];
            }
        }

        public void Add(Activity item)
        {
            lock (_items)
            {
                _items.Add(item);
            }
        }

        public void Clear()
        {
            lock (_items)
            {
                _items.Clear();
            }
        }

        public bool Contains(Activity item) => Snapshot().Contains(item);

        public void CopyTo(Activity[] array, int arrayIndex) => Snapshot().CopyTo(array, arrayIndex);

        public bool Remove(Activity item)
        {
            lock (_items)
            {
                return _items.Remove(item);
            }
        }

        public IEnumerator<Activity> GetEnumerator() => ((IEnumerable<Activity>)Snapshot()).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

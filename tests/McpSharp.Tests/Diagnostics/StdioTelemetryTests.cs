using System.Diagnostics;
using System.IO.Pipelines;
using System.Text.Json;
using McpSharp.Client;
using McpSharp.Diagnostics;
using McpSharp.Protocol;
using McpSharp.Server;
using McpSharp.Tests.TestSupport;
using McpSharp.Transports.Stdio;

namespace McpSharp.Tests.Diagnostics;

/// <summary>
/// The MCP spans over the stdio transport (a client and a server on two pipes, as a child process's stdin and stdout
/// are), caught with a plain <see cref="ActivityListener"/>: the trace context crosses in <c>params._meta</c>,
/// <c>network.transport</c> is <c>pipe</c>, there is no session id, and initialize's span names the negotiated version.
/// </summary>
public sealed class StdioTelemetryTests : IDisposable
{
    private readonly List<Activity> _spans = [];
    private readonly ActivityListener _listener;
    private readonly string _tool = "s" + Guid.NewGuid().ToString("N")[..8];

    public StdioTelemetryTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == McpDiagnostics.ActivitySourceName,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (_spans)
                {
                    _spans.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose() => _listener.Dispose();

    private Activity[] Spans(string name, ActivityKind kind)
    {
        lock (_spans)
        {
            return _spans.Where(s => s.DisplayName == name && s.Kind == kind).ToArray();
        }
    }

    [Fact]
    public async Task A_tool_call_over_stdio_carries_its_trace_across_and_says_pipe()
    {
        var server = new McpServer(new McpServerOptions { ServerInfo = new Implementation { Name = "stdio-telemetry", Version = "1" } });
        using var schema = JsonDocument.Parse("""{"type":"object"}""");
        server.Tools.Add(new Tool { Name = _tool, InputSchema = schema.RootElement.Clone() }, static _ => ValueTask.FromResult(CallToolResult.FromText("ok")));
        var toServer = new Pipe();
        var fromServer = new Pipe();
        using var stop = new CancellationTokenSource();
        var serving = server.RunAsync(new StreamTransport(toServer.Reader.AsStream(), fromServer.Writer.AsStream()), stop.Token);

        await using (var client = await McpClient.ConnectAsync(new StreamTransport(fromServer.Reader.AsStream(), toServer.Writer.AsStream()), new McpClientOptions { ProtocolMode = ProtocolMode.Legacy }))
        {
            await client.CallToolAsync(_tool);
            await Eventually.WaitUntilAsync(() => Spans("tools/call " + _tool, ActivityKind.Server).Length == 1 && Spans("tools/call " + _tool, ActivityKind.Client).Length == 1, "both spans");
        }

        var clientSpan = Spans("tools/call " + _tool, ActivityKind.Client)[0];
        var serverSpan = Spans("tools/call " + _tool, ActivityKind.Server)[0];
        Assert.Equal(clientSpan.TraceId, serverSpan.TraceId);
        Assert.Equal(clientSpan.SpanId, serverSpan.ParentSpanId);
        Assert.All(new[] { clientSpan, serverSpan }, span =>
        {
            Assert.Equal("pipe", span.GetTagItem("network.transport"));
            Assert.Null(span.GetTagItem("mcp.session.id"));
            Assert.Equal(ProtocolVersions.V20251125, span.GetTagItem("mcp.protocol.version"));
        });

        // initialize learns its version only once it ran: its server span still names it.
        Assert.Contains(Spans("initialize", ActivityKind.Server), span => Equals(span.GetTagItem("mcp.protocol.version"), ProtocolVersions.V20251125));

        await toServer.Writer.CompleteAsync();
        await stop.CancelAsync();
        await serving.WaitAsync(TimeSpan.FromSeconds(30));
    }
}

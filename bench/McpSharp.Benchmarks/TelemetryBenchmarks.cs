using System.Diagnostics;
using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using McpSharp.Diagnostics;
using McpSharp.JsonRpc;
using McpSharp.Protocol;

namespace McpSharp.Benchmarks;

/// <summary>
/// What telemetry costs on the <c>tools/call</c> round trip of <see cref="RoundTripBenchmarks"/>: with nobody listening
/// (the default; it should cost nothing: the same bytes allocated as before telemetry existed), and with a listener that
/// records every span and measurement (client and server span, trace context injected into and read from
/// <c>params._meta</c>, two histogram records).
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class TelemetryBenchmarks
{
    private InMemoryPeer _peer = null!;
    private JsonRpcConnection _client = null!;
    private ActivityListener? _spans;
    private MeterListener? _metrics;

    [Params(false, true)]
    public bool Listening { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        if (Listening)
        {
            _spans = new ActivityListener
            {
                ShouldListenTo = static source => source.Name == McpDiagnostics.ActivitySourceName,
                Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            };
            ActivitySource.AddActivityListener(_spans);
            _metrics = new MeterListener { InstrumentPublished = static (instrument, listener) => { if (instrument.Meter.Name == McpDiagnostics.MeterName) { listener.EnableMeasurementEvents(instrument); } } };
            _metrics.SetMeasurementEventCallback<double>(static (_, _, _, _) => { });
            _metrics.Start();
        }

        _peer = new InMemoryPeer(InMemoryPeer.EchoServer());
        _client = _peer.Client;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _peer.Dispose();
        _spans?.Dispose();
        _metrics?.Dispose();
    }

    [Benchmark]
    public async Task<int> ToolCallRoundTrip()
    {
        var result = await _client.SendRequestAsync(McpMethods.ToolsCall, InMemoryPeer.EchoParams, null, null, default);
        return result.Raw.Length;
    }
}

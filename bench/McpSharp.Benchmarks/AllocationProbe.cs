using System.Diagnostics;

namespace McpSharp.Benchmarks;

/// <summary>A quick, BenchmarkDotNet-free look at bytes allocated (process-wide) and time per in-memory round trip.</summary>
internal static class AllocationProbe
{
    public static void Run()
    {
        var bench = new RoundTripBenchmarks();
        bench.Setup();
        for (int i = 0; i < 20_000; i++)
        {
            bench.EngineAndServerRoundTrip().GetAwaiter().GetResult();
        }

        const int calls = 100_000;
        GC.Collect();
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < calls; i++)
        {
            bench.EngineAndServerRoundTrip().GetAwaiter().GetResult();
        }

        watch.Stop();
        long after = GC.GetTotalAllocatedBytes(precise: true);
        Console.WriteLine($"engine+server round trip: {(after - before) / (double)calls:0} B/call, {watch.Elapsed.TotalMicroseconds / calls:0.0} us/call, {calls / watch.Elapsed.TotalSeconds:0} calls/s (sequential)");

        before = GC.GetTotalAllocatedBytes(precise: true);
        for (int i = 0; i < calls; i++)
        {
            bench.JsonOnlyCeiling();
        }

        after = GC.GetTotalAllocatedBytes(precise: true);
        Console.WriteLine($"json-only ceiling:        {(after - before) / (double)calls:0} B/call");
        bench.Cleanup();
    }
}

using BenchmarkDotNet.Running;
using McpSharp.Benchmarks;

// dotnet run -c Release --project bench/McpSharp.Benchmarks -- --filter '*'
// dotnet run -c Release --project bench/McpSharp.Benchmarks -- alloc     (quick bytes-per-round-trip probe)
if (args is ["alloc", ..])
{
    AllocationProbe.Run();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

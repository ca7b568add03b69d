using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/McpSharp.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

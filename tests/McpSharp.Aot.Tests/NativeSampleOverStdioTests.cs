using System.Diagnostics;
using McpSharp.Tests.EndToEnd;
using McpSharp.Tests.TestSupport;

namespace McpSharp.Aot.Tests;

/// <summary>The stdio end-to-end suite (the one the JIT build passes in McpSharp.Tests), run on the native executable.</summary>
[Collection(NativeSampleGroup.Name)]
public sealed class NativeSampleOverStdioTests(NativeSample sample) : SampleOverStdio
{
    protected override StdioChild Start(params string[] arguments) => new(new ProcessStartInfo(sample.Executable, ["--stdio", .. arguments]));
}

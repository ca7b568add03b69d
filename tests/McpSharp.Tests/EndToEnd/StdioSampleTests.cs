using McpSharp.Tests.TestSupport;

namespace McpSharp.Tests.EndToEnd;

/// <summary>The sample as built (on the JIT, through the dotnet host), over stdio.</summary>
public sealed class StdioSampleTests : SampleOverStdio
{
    protected override StdioChild Start(params string[] arguments) => new(arguments);
}

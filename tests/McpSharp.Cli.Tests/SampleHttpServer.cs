using System.Diagnostics;
using McpSharp.Tests.TestSupport;

namespace McpSharp.Cli.Tests;

/// <summary>The sample as shipped, over HTTP, as a process on 127.0.0.1 (a free port): what <c>mcpsharp</c> is pointed at.</summary>
public sealed class SampleHttpServer : IAsyncLifetime
{
    private Process _process = null!;

    /// <summary>The MCP endpoint.</summary>
    public string Url { get; private set; } = "";

    /// <summary>The sample over stdio, as a command line for after "--".</summary>
    public static string[] StdioCommand => [StdioChild.DotnetHost(), StdioChild.SamplePath(), "--stdio"];

    public async Task InitializeAsync()
    {
        (_process, var address) = await ListeningProcess.StartAsync(new ProcessStartInfo(StdioChild.DotnetHost(), [StdioChild.SamplePath(), "--urls", "http://127.0.0.1:0"]));
        Url = address + "mcp";
    }

    public Task DisposeAsync() => ListeningProcess.StopAsync(_process);
}

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
        var start = new ProcessStartInfo(StdioChild.DotnetHost()) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(StdioChild.SamplePath());
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add("http://127.0.0.1:0");
        _process = Process.Start(start)!;
        _ = _process.StandardError.ReadToEndAsync();

        // The host's lifetime log (Information, kept by the sample's appsettings.json) names the address.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await _process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            int at = line.IndexOf("Now listening on: ", StringComparison.Ordinal);
            if (at >= 0)
            {
                Url = line[(at + "Now listening on: ".Length)..].Trim() + "/mcp";
                _ = _process.StandardOutput.ReadToEndAsync();
                return;
            }
        }

        throw new InvalidOperationException("The sample ended before it listened.");
    }

    public async Task DisposeAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}

using System.Diagnostics;
using System.Text.Json;
using McpSharp.Tests.TestSupport;

namespace McpSharp.Interop.Tests;

/// <summary>
/// The official TypeScript SDK client (npm 1.32.2) against the sample over stdio: the sample's tools, prompts and
/// resources are all generated from attributes, and the SDK validates structured output against the generated
/// <c>outputSchema</c> itself (it throws on a mismatch).
/// </summary>
public sealed class TypeScriptAuthoringTests
{
    [Fact]
    public async Task The_TypeScript_client_accepts_generated_schemas_and_structured_output()
    {
        await NodeInterop.EnsureInstalledAsync();
        var start = new ProcessStartInfo("node", [Path.Combine(NodeInterop.Folder, "sample-client.mjs"), StdioChild.DotnetHost(), StdioChild.SamplePath(), "--stdio"])
        {
            WorkingDirectory = NodeInterop.Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var node = Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        string output = await node.StandardOutput.ReadToEndAsync(timeout.Token);
        string error = await node.StandardError.ReadToEndAsync(timeout.Token);
        await node.WaitForExitAsync(timeout.Token);
        Assert.True(node.ExitCode == 0, error);

        using var report = JsonDocument.Parse(output);
        var root = report.RootElement;
        Assert.Equal(["get_weather"], root.GetProperty("withOutputSchema").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("""{"city":"Oslo","temperatureC":21.5,"conditions":"sunny"}""", root.GetProperty("weather").GetRawText());
        Assert.True(root.GetProperty("invalid").GetProperty("isError").GetBoolean());
        Assert.Equal("Invalid arguments for tool 'add': 'a' must be a number; 'b' is required.", root.GetProperty("invalid").GetProperty("text").GetString());
        Assert.Equal("5", root.GetProperty("added").GetString());
        Assert.Equal(["This is a complex prompt with arguments: temperature=0.7, style=casual", "I understand. How can I help?"], root.GetProperty("prompt").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("Hello, ts!", root.GetProperty("greeting").GetString());
    }
}

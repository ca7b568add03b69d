using System.Text.Json;
using McpSharp.Tests.TestSupport;

namespace McpSharp.Interop.Tests;

/// <summary>The official TypeScript SDK client (npm, as a Node child process) against McpSharp's HTTP server.</summary>
public sealed class TypeScriptClientTests
{
    [Fact]
    public async Task Lists_calls_and_answers_sampling_and_elicitation_round_trips()
    {
        await using var host = await FixtureHost.StartAsync();
        var (exitCode, stdout, stderr) = await NodeInterop.RunAsync("client.mjs", [host.Endpoint.ToString()], TimeSpan.FromSeconds(60));
        Assert.True(exitCode == 0, $"node client failed ({exitCode}): {stderr}");

        using var report = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]);
        var root = report.RootElement;
        Assert.False(string.IsNullOrEmpty(root.GetProperty("sessionId").GetString()));
        // The fixture's 14 tools of the 2025 scenarios and 14 of the 2026-07-28 ones.
        Assert.Equal(35, root.GetProperty("tools").GetArrayLength());
        Assert.Equal("This is a simple text response for testing.", root.GetProperty("simple").GetString());
        Assert.Equal("LLM response: ts sampled: Hello", root.GetProperty("sampling").GetString());
        Assert.Equal("""User response: action=accept, content={"username":"ts-user","email":"ts@example.com"}""", root.GetProperty("elicitation").GetString());
        Assert.Equal("This is the content of the static text resource.", root.GetProperty("resource").GetString());
    }
}

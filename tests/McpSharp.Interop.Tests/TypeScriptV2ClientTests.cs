using System.Text.Json;
using McpSharp.Tests.TestSupport;

namespace McpSharp.Interop.Tests;

/// <summary>
/// The official TypeScript SDK v2 client (npm @modelcontextprotocol/client 2.4.0, a Node child process) against
/// McpSharp's HTTP server in each era it can speak: pinned to 2026-07-28, probing (auto), and the 2025 handshake.
/// </summary>
public sealed class TypeScriptV2ClientTests
{
    private const string Plan = """
        {"calls":[{"name":"test_simple_text","arguments":{}},{"name":"test_sampling","arguments":{"prompt":"Hello"}},{"name":"test_elicitation","arguments":{"message":"Who?"}}],
         "resources":["test://static-text"],
         "prompts":[{"name":"test_prompt_with_arguments","arguments":{"arg1":"a","arg2":"b"}}],
         "elicitation":{"username":"ts-user","email":"ts@example.com"}}
        """;

    [Theory]
    [InlineData("modern", "2026-07-28")]
    [InlineData("auto", "2026-07-28")]
    [InlineData("legacy", "2025-11-25")]
    public async Task Lists_calls_answers_input_and_reads_in_each_era(string mode, string version)
    {
        await using var host = await FixtureHost.StartAsync();
        var (exitCode, stdout, stderr) = await NodeInterop.RunAsync("v2-client.mjs", [host.Endpoint.ToString(), mode, Plan], TimeSpan.FromSeconds(60));
        string output = stdout.Trim();
        Assert.True(exitCode == 0, $"node client failed ({exitCode}): {output}\n{stderr}");

        using var report = JsonDocument.Parse(output.Split('\n')[^1]);
        var root = report.RootElement;
        Assert.Equal(version, root.GetProperty("protocolVersion").GetString());
        Assert.Equal("mcpsharp-conformance-server", root.GetProperty("server").GetString());

        // A session only in the 2025 era (M26-HTTP-NO-SESSION).
        Assert.Equal(mode == "legacy", root.GetProperty("sessionId").ValueKind == JsonValueKind.String);
        Assert.Equal(35, root.GetProperty("tools").GetArrayLength());
        var calls = root.GetProperty("calls");
        Assert.Equal("This is a simple text response for testing.", calls[0][0].GetProperty("text").GetString());

        // Sampling and elicitation: server requests in a session, input rounds in 2026; the same handlers answer both.
        Assert.Equal("LLM response: ts sampled", calls[1][0].GetProperty("text").GetString());
        Assert.Equal("""User response: action=accept, content={"username":"ts-user","email":"ts@example.com"}""", calls[2][0].GetProperty("text").GetString());
        Assert.Equal((1, 1), (root.GetProperty("handled").GetProperty("sampling").GetInt32(), root.GetProperty("handled").GetProperty("elicitation").GetInt32()));
        Assert.Equal("This is the content of the static text resource.", root.GetProperty("resources")[0][0].GetProperty("text").GetString());
        Assert.Equal("Prompt with arguments: arg1='a', arg2='b'", root.GetProperty("prompts")[0][0].GetProperty("content").GetProperty("text").GetString());
    }
}

using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpSharp.Interop.Tests;

/// <summary>
/// The official C# SDK client (NuGet ModelContextProtocol.Core 2.4.0) against McpSharp's HTTP server in each era: by
/// default it probes with server/discover and speaks 2026-07-28; pinned to 2025-11-25 it runs initialize and keeps a
/// session.
/// </summary>
public sealed class OfficialCSharpClientTests
{
    [Theory]
    [InlineData(null, "2026-07-28")]
    [InlineData("2025-11-25", "2025-11-25")]
    public async Task Connects_lists_tools_calls_one_and_reads_a_resource(string? pinned, string version)
    {
        await using var host = await FixtureHost.StartAsync();
        await using var client = await McpClient.CreateAsync(
            new HttpClientTransport(new HttpClientTransportOptions { Endpoint = host.Endpoint }),
            new McpClientOptions { ProtocolVersion = pinned });

        Assert.Equal(version, client.NegotiatedProtocolVersion);
        Assert.Equal(pinned is not null, client.SessionId is not null);
        Assert.Equal("mcpsharp-conformance-server", client.ServerInfo!.Name);
        var tools = (await client.ListToolsAsync())!;

        // The fixture's 14 tools of the 2025 scenarios and 14 of the 2026-07-28 ones.
        Assert.Equal(35, tools.Count);
        Assert.Contains(tools, t => t.Name == "test_simple_text");

        var result = await client.CallToolAsync("test_simple_text");
        Assert.Equal("This is a simple text response for testing.", Assert.IsType<TextContentBlock>(result.Content[0]).Text);

        var resource = await client.ReadResourceAsync("test://static-text");
        Assert.Equal("This is the content of the static text resource.", Assert.IsType<TextResourceContents>(resource.Contents[0]).Text);

        var prompt = await client.GetPromptAsync("test_prompt_with_arguments", new Dictionary<string, object?> { ["arg1"] = "hello", ["arg2"] = "world" });
        Assert.Equal("Prompt with arguments: arg1='hello', arg2='world'", Assert.IsType<TextContentBlock>(prompt.Messages[0].Content).Text);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("2025-11-25")]
    public async Task Its_sampling_and_elicitation_handlers_answer_McpSharp_in_each_era(string? pinned)
    {
        await using var host = await FixtureHost.StartAsync();
        var options = new McpClientOptions
        {
            ProtocolVersion = pinned,
            Handlers = new McpClientHandlers
            {
                // Server requests in a 2025 session; input rounds that the client answers and retries in 2026-07-28.
                ElicitationHandler = static (_, _) => ValueTask.FromResult(new ElicitResult
                {
                    Action = "accept",
                    Content = new Dictionary<string, System.Text.Json.JsonElement> { ["username"] = System.Text.Json.JsonSerializer.SerializeToElement("cs-user"), ["email"] = System.Text.Json.JsonSerializer.SerializeToElement("cs@example.com") },
                }),
                SamplingHandler = static (_, _, _) => ValueTask.FromResult(new CreateMessageResult { Role = Role.Assistant, Model = "cs-model", Content = [new TextContentBlock { Text = "cs sampled" }] }),
            },
        };
        await using var client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = host.Endpoint }), options);

        var sampled = await client.CallToolAsync("test_sampling", new Dictionary<string, object?> { ["prompt"] = "Hello" });
        Assert.Equal("LLM response: cs sampled", Assert.IsType<TextContentBlock>(sampled.Content[0]).Text);
        var elicited = await client.CallToolAsync("test_elicitation", new Dictionary<string, object?> { ["message"] = "Who?" });
        Assert.Equal("""User response: action=accept, content={"username":"cs-user","email":"cs@example.com"}""", Assert.IsType<TextContentBlock>(elicited.Content[0]).Text);
    }
}

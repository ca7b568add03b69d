using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpSharp.Interop.Tests;

/// <summary>The official C# SDK client (NuGet ModelContextProtocol.Core 2.3.1) against McpSharp's HTTP server.</summary>
public sealed class OfficialCSharpClientTests
{
    [Fact]
    public async Task Connects_lists_tools_calls_one_and_reads_a_resource()
    {
        await using var host = await FixtureHost.StartAsync();
        await using var client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = host.Endpoint }));

        Assert.Equal("mcpsharp-conformance-server", client.ServerInfo!.Name);
        var tools = (await client.ListToolsAsync())!;
        // The fixture's 14 tools of the 2025 scenarios and 14 of the 2026-07-28 ones.
        Assert.Equal(28, tools.Count);
        Assert.Contains(tools, t => t.Name == "test_simple_text");

        var result = await client.CallToolAsync("test_simple_text");
        Assert.Equal("This is a simple text response for testing.", Assert.IsType<TextContentBlock>(result.Content[0]).Text);

        var resource = await client.ReadResourceAsync("test://static-text");
        Assert.Equal("This is the content of the static text resource.", Assert.IsType<TextResourceContents>(resource.Contents[0]).Text);

        var prompt = await client.GetPromptAsync("test_prompt_with_arguments", new Dictionary<string, object?> { ["arg1"] = "hello", ["arg2"] = "world" });
        Assert.Equal("Prompt with arguments: arg1='hello', arg2='world'", Assert.IsType<TextContentBlock>(prompt.Messages[0].Content).Text);
    }
}

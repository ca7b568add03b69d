using System.Text.Json;
using McpSharp.Client;
using McpSharp.Protocol;
using McpSharp.Tests.TestSupport;
using McpSharp.Transports.Http;

namespace McpSharp.Tests.Interop;

/// <summary>
/// McpClient against the official TypeScript SDK v2 server (npm @modelcontextprotocol/server 2.4.0, a Node child process)
/// that serves both eras on one endpoint: the client's probe finds 2026-07-28, and a pinned 2025 client gets a session.
/// Its tools ask for input the v2 way (an input_required result; a server request in a session).
/// </summary>
public sealed class TypeScriptV2ServerTests
{
    private static string Text(CallToolResult result) => ((TextContentBlock)result.Content[0]).Text;

    [Theory]
    [InlineData(ProtocolMode.Auto, "2026-07-28")]
    [InlineData(ProtocolMode.Legacy, "2025-11-25")]
    public async Task Lists_calls_answers_input_and_reads_in_each_era(ProtocolMode mode, string version)
    {
        var (process, endpoint) = await NodeInterop.StartHttpServerAsync(NodeInterop.V2ServerScript);
        try
        {
            var transport = new StreamableHttpClientTransport(new HttpClientTransportOptions { Endpoint = endpoint });
            await using var client = await McpClient.ConnectAsync(transport, new McpClientOptions
            {
                ProtocolMode = mode,
                SamplingHandler = static (_, _) => ValueTask.FromResult(new CreateMessageResult { Role = Role.Assistant, Model = "m", Content = [new TextContentBlock("4")] }),
                ElicitationHandler = static (_, _) => ValueTask.FromResult(new ElicitResult { Action = "accept", Content = JsonSerializer.Deserialize("""{"name":"Ada"}""", McpJsonContext.Default.DictionaryStringJsonElement) }),
            });

            Assert.Equal(version, client.ProtocolVersion);
            Assert.Equal(mode == ProtocolMode.Auto, client.IsPerRequest);
            Assert.Equal(mode == ProtocolMode.Legacy, transport.SessionId is not null);
            Assert.Equal("ts-v2-interop", client.ServerInfo.Name);
            Assert.Equal(["ask_name", "echo", "sample"], await client.EnumerateToolsAsync().Select(t => t.Name).OrderBy(n => n, StringComparer.Ordinal).ToListAsync());
            Assert.Equal("v2:hi", Text(await client.CallToolAsync("echo", JsonSerializer.Deserialize("""{"text":"hi"}""", McpJsonContext.Default.DictionaryStringJsonElement))));
            Assert.Equal("hello:Ada", Text(await client.CallToolAsync("ask_name")));
            Assert.Equal("sampled:4", Text(await client.CallToolAsync("sample")));
            Assert.Equal("hello resource", ((TextResourceContents)(await client.ReadResourceAsync("test://static/greeting")).Contents[0]).Text);
            var prompt = await client.GetPromptAsync("greet", new Dictionary<string, string> { ["name"] = "Bob" });
            Assert.Equal("Hello Bob", ((TextContentBlock)prompt.Messages[0].Content).Text);
        }
        finally
        {
            NodeInterop.Stop(process);
        }
    }
}

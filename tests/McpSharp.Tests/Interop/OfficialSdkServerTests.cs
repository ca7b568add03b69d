using System.Diagnostics;
using System.Text.Json;
using McpSharp.Client;
using McpSharp.Protocol;
using McpSharp.Tests.TestSupport;
using McpSharp.Transports.Http;

namespace McpSharp.Tests.Interop;

/// <summary>
/// McpClient against the official C# SDK's server (NuGet ModelContextProtocol.AspNetCore 2.4.0, tests/interop/
/// csharp-sdk-server, a real child process) serving both eras on one endpoint: the probe finds 2026-07-28, a pinned 2025
/// client gets a session, and its elicitation tool is answered by the same handler in both.
/// </summary>
public sealed class OfficialSdkServerTests
{
    private static string Text(CallToolResult result) => ((TextContentBlock)result.Content[0]).Text;

    private static string ServerPath()
    {
        string configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        string path = Path.Combine(StdioChild.RepositoryRoot(), "tests", "interop", "csharp-sdk-server", "bin", configuration, "net10.0", "OfficialSdkServer.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build the peer first (the test project references it).", path);
    }

    private static Task<(Process Process, Uri Endpoint)> StartAsync() =>
        NodeInterop.StartListeningAsync(new ProcessStartInfo(StdioChild.DotnetHost(), [ServerPath()]));

    [Theory]
    [InlineData(ProtocolMode.Auto, "2026-07-28")]
    [InlineData(ProtocolMode.Legacy, "2025-11-25")]
    public async Task Lists_calls_answers_input_and_reads_in_each_era(ProtocolMode mode, string version)
    {
        var (process, endpoint) = await StartAsync();
        try
        {
            var transport = new StreamableHttpClientTransport(new HttpClientTransportOptions { Endpoint = endpoint });
            int elicited = 0;
            await using var client = await McpClient.ConnectAsync(transport, new McpClientOptions
            {
                ProtocolMode = mode,
                ElicitationHandler = (_, _) =>
                {
                    Interlocked.Increment(ref elicited);
                    return ValueTask.FromResult(new ElicitResult { Action = "accept", Content = JsonSerializer.Deserialize("""{"name":"Ada"}""", McpJsonContext.Default.DictionaryStringJsonElement) });
                },
            });

            Assert.Equal(version, client.ProtocolVersion);
            Assert.Equal(mode == ProtocolMode.Auto, client.IsPerRequest);
            Assert.Equal(mode == ProtocolMode.Legacy, transport.SessionId is not null);
            Assert.Equal("cs-sdk-interop", client.ServerInfo.Name);
            Assert.Equal(["ask_name", "echo"], await client.EnumerateToolsAsync().Select(t => t.Name).OrderBy(n => n, StringComparer.Ordinal).ToListAsync());
            Assert.Equal("cs:hi", Text(await client.CallToolAsync("echo", JsonSerializer.Deserialize("""{"text":"hi"}""", McpJsonContext.Default.DictionaryStringJsonElement))));
            Assert.Equal("hello:Ada", Text(await client.CallToolAsync("ask_name")));
            Assert.Equal(1, elicited);
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

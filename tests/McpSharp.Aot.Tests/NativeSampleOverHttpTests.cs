using System.Diagnostics;
using System.Text.Json;
using McpSharp.Client;
using McpSharp.Protocol;
using McpSharp.Tests.TestSupport;
using McpSharp.Transports.Http;

namespace McpSharp.Aot.Tests;

/// <summary>The native executable over Streamable HTTP: the probe's rules in both eras, and a client using its features.</summary>
[Collection(NativeSampleGroup.Name)]
public sealed class NativeSampleOverHttpTests(NativeSample sample)
{
    [Fact]
    public async Task The_native_sample_passes_every_probe_rule_in_both_eras()
    {
        var (server, address) = await ListeningProcess.StartAsync(new ProcessStartInfo(sample.Executable, ["--urls", "http://127.0.0.1:0"]));
        try
        {
            var (exit, output) = await NativeSample.RunAsync(NativeSample.Mcpsharp("probe", address + "mcp", "--json"));

            Assert.True(exit == 0, output);
            using var report = JsonDocument.Parse(output);
            var checks = report.RootElement.GetProperty("checks").EnumerateArray()
                .Select(c => (Id: c.GetProperty("id").GetString()!, Verdict: c.GetProperty("verdict").GetString()!, Answered: c.GetProperty("answered").GetString())).ToList();
            // As for the JIT build (McpSharp.Cli.Tests): every row passes but the one that needs an x-mcp-header tool.
            Assert.All(checks.Where(c => c.Id != "M26-HTTP-XMCP-SERVER"), c => Assert.True(c.Verdict == "pass", $"{c.Id}: answered {c.Answered}"));
            Assert.True(checks.Count > 40, $"{checks.Count} rows");
            Assert.Contains(checks, c => c.Id == "T07 HTTP-SESS-404");
            Assert.Contains(checks, c => c.Id == "M26-DISCOVER-REQUIRED");
        }
        finally
        {
            await ListeningProcess.StopAsync(server);
        }
    }

    [Theory]
    [InlineData(ProtocolMode.Legacy, new string[0])]
    [InlineData(ProtocolMode.Modern, new string[0])]
    [InlineData(ProtocolMode.Modern, new[] { "--stateless", "--json-response" })]
    public async Task A_client_calls_tools_reads_resources_gets_prompts_and_answers_sampling_and_elicitation(ProtocolMode mode, string[] arguments)
    {
        var (server, address) = await ListeningProcess.StartAsync(new ProcessStartInfo(sample.Executable, ["--urls", "http://127.0.0.1:0", .. arguments]));
        try
        {
            await using var client = await McpClient.ConnectAsync(
                new StreamableHttpClientTransport(new HttpClientTransportOptions { Endpoint = new Uri(address, "mcp") }),
                new McpClientOptions
                {
                    ProtocolMode = mode,
                    SamplingHandler = static (request, _) => ValueTask.FromResult(new CreateMessageResult
                    {
                        Role = Role.Assistant,
                        Model = "scripted",
                        Content = [new TextContentBlock("heard " + ((TextContentBlock)request.Messages[0].Content[0]).Text)],
                    }),
                    ElicitationHandler = static (_, _) => ValueTask.FromResult(new ElicitResult { Action = "accept", Content = Arguments("""{"name":"Ada"}""") }),
                });

            Assert.Equal(mode == ProtocolMode.Modern, client.IsPerRequest);
            var tools = new List<Tool>();
            await foreach (var tool in client.EnumerateToolsAsync())
            {
                tools.Add(tool);
            }

            Assert.Contains(tools, t => t.Name == "echo");
            Assert.Equal("5", Text(await client.CallToolAsync("add", Arguments("""{"a":2,"b":3}"""))));
            Assert.Equal("LLM (scripted) said: heard hello", Text(await client.CallToolAsync("sample_llm", Arguments("""{"prompt":"hello"}"""))));
            Assert.Equal("Hello Ada, age 30.", Text(await client.CallToolAsync("elicit_user")));
            var image = Assert.IsType<ImageContentBlock>((await client.CallToolAsync("get_image")).Content[0]);
            Assert.Equal("image/png", image.MimeType);

            var resource = await client.ReadResourceAsync("sample://greeting/native");
            Assert.Contains("native", Assert.IsType<TextResourceContents>(resource.Contents[0]).Text, StringComparison.Ordinal);
            var prompts = await client.ListPromptsAsync();
            var withoutArguments = Assert.Single(prompts.Prompts, p => p.Arguments is null or { Count: 0 });
            var prompt = await client.GetPromptAsync(withoutArguments.Name);
            Assert.NotEmpty(prompt.Messages);
        }
        finally
        {
            await ListeningProcess.StopAsync(server);
        }
    }

    private static Dictionary<string, JsonElement> Arguments(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
    }

    private static string Text(CallToolResult result) => Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;
}

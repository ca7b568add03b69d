using System.Collections.Concurrent;
using System.Text.Json;
using McpSharp.Client;
using McpSharp.Protocol;
using McpSharp.Tests.TestSupport;
using McpSharp.Transports.Http;
using McpSharp.Transports.Stdio;

namespace McpSharp.Tests.Interop;

/// <summary>McpClient against an independent server: the official TypeScript SDK, as a Node child process.</summary>
public sealed class TypeScriptServerTests
{
    private static Dictionary<string, JsonElement> Args(string json) => JsonSerializer.Deserialize(json, McpJsonContext.Default.DictionaryStringJsonElement)!;

    private static string Text(CallToolResult result) => ((TextContentBlock)result.Content[0]).Text;

    private static McpClientOptions Options() => new()
    {
        SamplingHandler = static (request, _) => ValueTask.FromResult(new CreateMessageResult
        {
            Role = Role.Assistant,
            Model = "m",
            Content = [new TextContentBlock("answer to " + ((TextContentBlock)request.Messages[0].Content[0]).Text)],
        }),
        ElicitationHandler = static (_, _) => ValueTask.FromResult(new ElicitResult
        {
            Action = "accept",
            Content = JsonSerializer.Deserialize("""{"name":"Ada"}""", McpJsonContext.Default.DictionaryStringJsonElement),
        }),
    };

    private static async Task ExerciseAsync(McpClient client)
    {
        Assert.Equal("ts-interop", client.ServerInfo.Name);
        Assert.Equal(["echo", "elicit", "progress", "sample"], await client.EnumerateToolsAsync().Select(t => t.Name).OrderBy(n => n, StringComparer.Ordinal).ToListAsync());
        Assert.Equal("ts:hi", Text(await client.CallToolAsync("echo", Args("""{"text":"hi"}"""))));

        var reports = new ConcurrentQueue<double>();
        Assert.Equal("progress done", Text(await client.CallToolAsync("progress", progress: new Reporter(v => reports.Enqueue(v.Progress)))));
        Assert.Equal([1d, 2d, 3d], reports);

        Assert.Equal("sampled:answer to 2+2?", Text(await client.CallToolAsync("sample", Args("""{"prompt":"2+2?"}"""))));
        Assert.Equal("elicited:accept:Ada", Text(await client.CallToolAsync("elicit")));
    }

    [Fact]
    public async Task Over_http_list_call_progress_sampling_and_elicitation()
    {
        var (process, endpoint) = await NodeInterop.StartHttpServerAsync();
        try
        {
            await using var client = await McpClient.ConnectAsync(new StreamableHttpClientTransport(new HttpClientTransportOptions { Endpoint = endpoint }), Options());
            await ExerciseAsync(client);
        }
        finally
        {
            NodeInterop.Stop(process);
        }
    }

    [Fact]
    public async Task Over_stdio_list_call_progress_sampling_and_elicitation()
    {
        await NodeInterop.EnsureInstalledAsync();
        var options = new StdioClientTransportOptions { Command = "node", WorkingDirectory = NodeInterop.Folder };
        options.Arguments.Add(NodeInterop.ServerScript);
        options.Arguments.Add("--stdio");
        await using var client = await McpClient.ConnectAsync(new StdioClientTransport(options), Options());
        await ExerciseAsync(client);
    }

    [Fact]
    public async Task The_session_is_reestablished_after_the_typescript_server_drops_it()
    {
        var (process, endpoint) = await NodeInterop.StartHttpServerAsync();
        try
        {
            var transport = new StreamableHttpClientTransport(new HttpClientTransportOptions { Endpoint = endpoint });
            await using var client = await McpClient.ConnectAsync(transport, Options());
            int events = 0;
            client.SessionReestablished += (_, _) => Interlocked.Increment(ref events);
            Assert.Equal("ts:before", Text(await client.CallToolAsync("echo", Args("""{"text":"before"}"""))));
            string? before = transport.SessionId;

            using (var http = new HttpClient())
            using (var drop = await http.PostAsync(new Uri(endpoint, "/drop-sessions"), null))
            {
                drop.EnsureSuccessStatusCode();
            }

            Assert.Equal("ts:after", Text(await client.CallToolAsync("echo", Args("""{"text":"after"}"""))));
            Assert.Equal(1, events);
            Assert.NotEqual(before, transport.SessionId);
        }
        finally
        {
            NodeInterop.Stop(process);
        }
    }

    [Fact]
    public async Task A_post_only_express_server_keeps_exactly_one_session_while_the_client_works_issue_19()
    {
        var (process, endpoint) = await NodeInterop.StartHttpServerAsync(NodeInterop.ExpressPostOnlyScript);
        try
        {
            var transport = new StreamableHttpClientTransport(new HttpClientTransportOptions { Endpoint = endpoint });
            await using var client = await McpClient.ConnectAsync(transport);
            int events = 0;
            client.SessionReestablished += (_, _) => Interlocked.Increment(ref events);

            // The GET that Express answers with its HTML 404 page: the loop that opened it has ended, for good.
            await transport.StandaloneCompletion.WaitAsync(TimeSpan.FromSeconds(30));
            for (int i = 0; i < 20; i++)
            {
                Assert.Equal($"express:{i}", Text(await client.CallToolAsync("echo", Args($$"""{"text":"{{i}}"}"""))));
            }

            using var http = new HttpClient();
            using var count = JsonDocument.Parse(await http.GetStringAsync(new Uri(endpoint, "/session-count")));
            Assert.Equal(1, count.RootElement.GetProperty("count").GetInt32());
            Assert.Equal(0, events);
            Assert.True(transport.StandaloneCompletion.IsCompleted);
        }
        finally
        {
            NodeInterop.Stop(process);
        }
    }
}

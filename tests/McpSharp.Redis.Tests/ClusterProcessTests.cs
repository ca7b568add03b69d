using System.Collections.Concurrent;
using System.Text.Json;
using McpSharp.Client;
using McpSharp.Protocol;
using McpSharp.Tests.TestSupport;
using McpSharp.Transports.Http;

namespace McpSharp.Redis.Tests;

/// <summary>
/// The sample as three real processes sharing one redis-server, driven by McpSharp's own client in a 2025 session
/// (the era with sessions to share): through the round-robin proxy of samples/Cluster (no affinity: each request of the
/// session may land on another node), and with a client that sends each request to the next node while one node is
/// killed (SIGKILL). The application sees no error. The session rules (400/404/DELETE) hold with each request on
/// another node.
/// </summary>
public sealed class ClusterProcessTests(RedisServer redis) : IClassFixture<RedisServer>
{
    internal static Dictionary<string, JsonElement> Args(string json) => JsonSerializer.Deserialize(json, McpJsonContext.Default.DictionaryStringJsonElement)!;

    internal static string Text(CallToolResult result) => ((TextContentBlock)result.Content[0]).Text;

    internal static McpClientOptions Options() => new()
    {
        ProtocolMode = ProtocolMode.Legacy,
        SamplingHandler = static (_, _) => ValueTask.FromResult(new CreateMessageResult { Role = Role.Assistant, Model = "m", Content = [new TextContentBlock("4")] }),
    };

    // What a client does with one session on a cluster: calls, a sampling round trip, a subscription notified from a
    // tool run somewhere else (once: announced while the session's GET stream is between connections, because its node
    // died, it is kept for the client's resume), a log level that every node applies.
    internal static async Task WorkAsync(McpClient client, string tag)
    {
        for (int i = 0; i < 6; i++)
        {
            Assert.Equal($"Echo: {tag}{i}", Text(await client.CallToolAsync("echo", Args($$"""{"message":"{{tag}}{{i}}"}"""))));
        }

        Assert.Equal("LLM (m) said: 4", Text(await client.CallToolAsync("sample_llm", Args("""{"prompt":"2+2?"}"""))));

        var updated = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnUpdated(object? sender, ResourceUpdatedNotificationParams update) => updated.TrySetResult(update.Uri);
        client.ResourceUpdated += OnUpdated;
        try
        {
            await client.SubscribeAsync("sample://static/text");
            await client.CallToolAsync("touch_resource", Args("""{"uri":"sample://static/text"}"""));
            Assert.Equal("sample://static/text", await updated.Task.WaitAsync(TimeSpan.FromSeconds(60)));
        }
        finally
        {
            client.ResourceUpdated -= OnUpdated;
        }

        var levels = new ConcurrentQueue<LoggingLevel>();
        void OnLog(object? sender, LoggingMessageNotificationParams message) => levels.Enqueue(message.Level);
        client.LogMessageReceived += OnLog;
        try
        {
            await client.SetLoggingLevelAsync(LoggingLevel.Error);
            await client.CallToolAsync("log_messages");
            Assert.Equal([LoggingLevel.Error, LoggingLevel.Critical, LoggingLevel.Alert, LoggingLevel.Emergency], levels);
        }
        finally
        {
            client.LogMessageReceived -= OnLog;
        }
    }

    [Fact]
    public async Task A_session_served_by_three_nodes_behind_a_round_robin_proxy_works_as_on_one()
    {
        await using var cluster = await SampleCluster.StartAsync(redis, nodes: 3, proxy: true);
        var transport = new StreamableHttpClientTransport(new HttpClientTransportOptions { Endpoint = cluster.Proxy! });
        await using var client = await McpClient.ConnectAsync(transport, Options());
        Assert.NotNull(transport.SessionId);
        await WorkAsync(client, "p");
    }

    [Fact]
    public async Task The_session_rules_hold_across_three_node_processes_each_request_on_another_node()
    {
        await using var cluster = await SampleCluster.StartAsync(redis, nodes: 3, proxy: false);
        using var http = new HttpClient();
        async Task<HttpResponseMessage> SendAsync(int node, HttpMethod method, string? session, string? body = null)
        {
            using var request = new HttpRequestMessage(method, cluster.Nodes[node]);
            request.Headers.TryAddWithoutValidation("Accept", method == HttpMethod.Get ? "text/event-stream" : "application/json, text/event-stream");
            if (session is not null)
            {
                request.Headers.Add("MCP-Session-Id", session);
                request.Headers.Add("MCP-Protocol-Version", "2025-11-25");
            }

            if (body is not null)
            {
                request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
            }

            return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        }

        async Task<int> StatusAsync(int node, HttpMethod method, string? session, string? body = null)
        {
            using var response = await SendAsync(node, method, session, body);
            return (int)response.StatusCode;
        }

        const string List = """{"jsonrpc":"2.0","id":2,"method":"tools/list"}""";
        string sid;
        using (var init = await SendAsync(0, HttpMethod.Post, null, """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}"""))
        {
            Assert.Equal(200, (int)init.StatusCode);
            sid = init.Headers.GetValues("MCP-Session-Id").Single();
        }

        using (var initialized = await SendAsync(1, HttpMethod.Post, sid, """{"jsonrpc":"2.0","method":"notifications/initialized"}"""))
        {
            Assert.Equal(202, (int)initialized.StatusCode);
        }

        // Served by a node that never saw the session begin; 400 without a session, 404 for one nobody knows.
        Assert.Equal(200, await StatusAsync(2, HttpMethod.Post, sid, List));
        Assert.Equal(400, await StatusAsync(1, HttpMethod.Post, null, List));
        Assert.Equal(404, await StatusAsync(2, HttpMethod.Post, "unknown-session", List));

        // Deleted on one node: 404 on every node at once, for POST, GET and a second DELETE.
        Assert.Equal(200, await StatusAsync(1, HttpMethod.Delete, sid));
        Assert.Equal(404, await StatusAsync(0, HttpMethod.Post, sid, List));
        Assert.Equal(404, await StatusAsync(2, HttpMethod.Post, sid, List));
        Assert.Equal(404, await StatusAsync(0, HttpMethod.Get, sid));
        Assert.Equal(404, await StatusAsync(2, HttpMethod.Delete, sid));
        Assert.Equal(404, await StatusAsync(1, HttpMethod.Delete, sid));
    }

    [Fact]
    public async Task A_node_killed_mid_session_is_invisible_to_the_application()
    {
        await using var cluster = await SampleCluster.StartAsync(redis, nodes: 3, proxy: false);
        using var rotating = new RotatingHandler(cluster.Nodes);
        var transport = new StreamableHttpClientTransport(new HttpClientTransportOptions { Endpoint = cluster.Nodes[0], HttpClient = new HttpClient(rotating) { Timeout = Timeout.InfiniteTimeSpan } });
        int recovered = 0;
        await using var client = await McpClient.ConnectAsync(transport, Options());
        client.SessionReestablished += (_, _) => Interlocked.Increment(ref recovered);
        await WorkAsync(client, "a");

        // The node holding the session's GET stream: gone at once. What the client is sent before it resumes the stream
        // on another node waits there for it.
        cluster.Kill(rotating.LastGetNode);
        await WorkAsync(client, "b");
        Assert.Equal(0, recovered);
        Assert.True(rotating.Refused > 0);
    }
}

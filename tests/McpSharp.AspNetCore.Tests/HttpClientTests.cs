using McpSharp.Tests.TestSupport;
using System.Collections.Concurrent;
using System.Text.Json;
using McpSharp.AspNetCore.Tests.TestSupport;
using McpSharp.Client;
using McpSharp.Protocol;
using McpSharp.Transports.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using static McpSharp.AspNetCore.Tests.TestSupport.TestServer;

namespace McpSharp.AspNetCore.Tests;

/// <summary>McpClient over Streamable HTTP against McpSharp's own server: re-initialization on 404, resumption, headers.</summary>
public sealed class HttpClientTests
{
    private static Dictionary<string, JsonElement> Args(string json) => JsonSerializer.Deserialize(json, McpJsonContext.Default.DictionaryStringJsonElement)!;

    // The session rules are what most of these tests are about: a 2025 client unless the test says otherwise.
    private static async Task<McpClient> ConnectAsync(Uri endpoint, McpClientOptions? options = null, Action<HttpClientTransportOptions>? configure = null)
    {
        var transportOptions = new HttpClientTransportOptions { Endpoint = endpoint };
        configure?.Invoke(transportOptions);
        return await McpClient.ConnectAsync(new StreamableHttpClientTransport(transportOptions), options ?? new McpClientOptions { ProtocolMode = ProtocolMode.Legacy });
    }

    private static string Text(CallToolResult result) => ((TextContentBlock)result.Content[0]).Text;

    [Theory]
    [InlineData(ProtocolMode.Legacy)]
    [InlineData(ProtocolMode.Auto)]
    public async Task Calls_with_progress_sampling_and_elicitation_over_http(ProtocolMode mode)
    {
        await using var server = await TestServer.StartAsync(configure: s =>
        {
            s.Tools.Add(new Tool { Name = "ask", InputSchema = Json("""{"type":"object"}""") }, static async ctx =>
            {
                ctx.Progress.Report(new ProgressNotificationValue(1, 2));
                var sample = await ctx.SampleAsync(new CreateMessageRequestParams { Messages = [new SamplingMessage { Role = Role.User, Content = [new TextContentBlock("q")] }], MaxTokens = 5 });
                var elicit = await ctx.ElicitAsync(new ElicitRequestParams { Message = "m", RequestedSchema = Json("""{"type":"object","properties":{"n":{"type":"string","default":"dflt"}}}""") });
                ctx.Progress.Report(new ProgressNotificationValue(2, 2));
                return CallToolResult.FromText($"{((TextContentBlock)sample.Content[0]).Text}/{elicit.Content!["n"].GetString()}");
            });
        });
        var options = new McpClientOptions
        {
            SamplingHandler = static (_, _) => ValueTask.FromResult(new CreateMessageResult { Role = Role.Assistant, Model = "m", Content = [new TextContentBlock("sampled")] }),
            ElicitationHandler = static (_, _) => ValueTask.FromResult(new ElicitResult { Action = "accept" }),
            ProtocolMode = mode,
        };
        await using var client = await ConnectAsync(server.Endpoint, options);
        Assert.Equal(mode == ProtocolMode.Auto, client.IsPerRequest);
        Assert.Equal("http-test", client.ServerInfo.Name);
        Assert.Equal(["ask", "echo"], await client.EnumerateToolsAsync().Select(t => t.Name).OrderBy(n => n, StringComparer.Ordinal).ToListAsync());

        var reports = new ConcurrentQueue<double>();
        var result = await client.CallToolAsync("ask", progress: new Reporter(v => reports.Enqueue(v.Progress)));
        Assert.Equal("sampled/dflt", Text(result));

        // In 2026-07-28 the handler runs again from the top after each input round (sampling, then elicitation): the
        // first report is sent by each of the three attempts, under the call's one progress token.
        Assert.Equal(mode == ProtocolMode.Legacy ? [1d, 2d] : [1d, 1d, 1d, 2d], reports);
    }

    [Fact]
    public async Task Every_request_after_initialize_carries_the_session_id_and_protocol_version_C01()
    {
        var seen = new ConcurrentQueue<(string Method, string? Session, string? Version)>();
        await using var server = await TestServer.StartAsync(pipeline: app => app.Use(async (context, next) =>
        {
            seen.Enqueue((context.Request.Method, context.Request.Headers["MCP-Session-Id"], context.Request.Headers["MCP-Protocol-Version"]));
            await next(context);
        }));
        var client = await ConnectAsync(server.Endpoint);
        await client.PingAsync();

        // The standalone GET stream is opened in the background after initialized: wait for it before disposing, or a
        // quick dispose can come first on a loaded machine.
        await Eventually.WaitUntilAsync(() => seen.Any(r => r.Method == "GET"), "the standalone GET");
        await client.DisposeAsync();

        var requests = seen.ToArray();
        Assert.Equal(("POST", null, null), (requests[0].Method, (string?)requests[0].Session, (string?)requests[0].Version));
        string session = requests[1].Session!;
        Assert.All(requests.Skip(1), r =>
        {
            Assert.Equal(session, r.Session);
            Assert.Equal("2025-11-25", r.Version);
        });
        Assert.Contains(requests, r => r.Method == "GET");
        Assert.Equal("DELETE", requests[^1].Method);
        // C04: DELETE on dispose; the server has no session left.
        Assert.Equal(0, server.Sessions.Count);
    }

    [Fact]
    public async Task A_session_deleted_between_two_calls_is_reestablished_transparently_and_the_event_fires_once()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await ConnectAsync(server.Endpoint);
        int events = 0;
        client.SessionReestablished += (_, _) => Interlocked.Increment(ref events);
        Assert.Equal("echo:1", Text(await client.CallToolAsync("echo", Args("""{"text":"1"}"""))));

        var old = Assert.Single(SessionsOf(server));
        Assert.True(await server.Sessions.TryRemoveAsync(old));

        Assert.Equal("echo:2", Text(await client.CallToolAsync("echo", Args("""{"text":"2"}"""))));
        Assert.Equal(1, events);
        Assert.Equal(1, server.Sessions.Count);
        Assert.Equal("echo:3", Text(await client.CallToolAsync("echo", Args("""{"text":"3"}"""))));
        Assert.Equal(1, events);
    }

    [Fact]
    public async Task Concurrent_calls_that_all_meet_the_404_share_one_reinitialize()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await ConnectAsync(server.Endpoint, configure: o => o.OpenStandaloneStream = false);
        int events = 0;
        client.SessionReestablished += (_, _) => Interlocked.Increment(ref events);
        Assert.True(await server.Sessions.TryRemoveAsync(SessionsOf(server).Single()));

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => client.CallToolAsync("echo", Args($$"""{"text":"{{i}}"}"""))));
        Assert.Equal(Enumerable.Range(0, 8).Select(i => $"echo:{i}"), results.Select(Text));
        Assert.Equal(1, events);
        Assert.Equal(1, server.Sessions.Count);
    }

    [Fact]
    public async Task Subscriptions_and_the_log_level_are_renewed_on_the_new_session()
    {
        await using var server = await TestServer.StartAsync(configure: s => s.Resources.Add(new Resource { Uri = "a://r", Name = "r" }, static ctx => ValueTask.FromResult(new ReadResourceResult())));
        await using var client = await ConnectAsync(server.Endpoint);
        var reestablished = new TaskCompletionSource();
        client.SessionReestablished += (_, _) => reestablished.TrySetResult();
        await client.SubscribeAsync("a://r");
        await client.SetLoggingLevelAsync(LoggingLevel.Error);
        Assert.True(await server.Sessions.TryRemoveAsync(SessionsOf(server).Single()));

        await client.PingAsync();
        await reestablished.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var session = SessionsOf(server).Single().Mcp;
        await Eventually.WaitUntilAsync(() => session.LogLevel == LoggingLevel.Error && session.IsSubscribed("a://r"), "the renewed log level and subscription");

        Assert.Equal(LoggingLevel.Error, session.LogLevel);
        Assert.True(session.IsSubscribed("a://r"));
    }

    [Fact]
    public async Task A_server_restarted_on_the_same_port_is_reached_through_a_new_session()
    {
        var first = await TestServer.StartAsync();
        string url = first.Endpoint.GetLeftPart(UriPartial.Authority);
        await using var client = await ConnectAsync(first.Endpoint, configure: o => o.OpenStandaloneStream = false);
        Assert.Equal("echo:before", Text(await client.CallToolAsync("echo", Args("""{"text":"before"}"""))));
        await first.DisposeAsync();

        await using var second = await TestServer.StartAsync(url: url);
        Assert.Equal("echo:after", Text(await client.CallToolAsync("echo", Args("""{"text":"after"}"""))));
    }

    [Fact]
    public async Task A_stream_cut_mid_call_completes_through_get_with_last_event_id_exactly_once()
    {
        int runs = 0;
        await using var server = await TestServer.StartAsync(http => http.RetryInterval = TimeSpan.FromMilliseconds(100), s => s.Tools.Add(
            new Tool { Name = "cut", InputSchema = Json("""{"type":"object"}""") },
            async ctx =>
            {
                Interlocked.Increment(ref runs);
                Assert.True(ctx.CloseSseConnection());
                await ctx.LogAsync(LoggingLevel.Info, "sent while the client is away");
                return CallToolResult.FromText("after the cut");
            }));
        await using var client = await ConnectAsync(server.Endpoint, configure: o => o.OpenStandaloneStream = false);
        var logs = new ConcurrentQueue<string>();
        client.LogMessageReceived += (_, m) => logs.Enqueue(m.Data.GetString()!);
        Assert.Equal("after the cut", Text(await client.CallToolAsync("cut").WaitAsync(TimeSpan.FromSeconds(30))));
        Assert.Equal(1, runs);
        Assert.Equal(["sent while the client is away"], logs);
    }

    internal static HttpSessionList SessionsOf(TestServer server) => new(server);

    internal sealed class HttpSessionList(TestServer server) : IEnumerable<McpSharp.AspNetCore.Sessions.HttpSession>
    {
        public IEnumerator<McpSharp.AspNetCore.Sessions.HttpSession> GetEnumerator() =>
            server.Server.Sessions.Select(s => server.Sessions.TryGet(s.Id!, out var h) ? h : null).OfType<McpSharp.AspNetCore.Sessions.HttpSession>().GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

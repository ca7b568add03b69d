using System.Collections.Concurrent;
using System.Text.Json;
using McpSharp.AspNetCore.Tests.TestSupport;
using McpSharp.Client;
using McpSharp.Protocol;
using McpSharp.Server;
using McpSharp.Tests.TestSupport;
using McpSharp.Transports.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using static McpSharp.AspNetCore.Tests.TestSupport.TestServer;

namespace McpSharp.AspNetCore.Tests;

/// <summary>
/// McpClient in revision 2026-07-28 over a real Kestrel: the era probe and its fallbacks, the standard headers, input
/// rounds, cancellation by closing the stream, listen, x-mcp-header handling and cache hints. A recorder in front of
/// the endpoint sees every HTTP request as the server got it.
/// </summary>
public sealed class PerRequestClientTests
{
    private const string RouteSchema = """{"type":"object","properties":{"region":{"type":"string","x-mcp-header":"Region"},"size":{"type":"integer","x-mcp-header":"Size"},"note":{"type":"string"}}}""";

    private static Dictionary<string, JsonElement> Args(string json) => JsonSerializer.Deserialize(json, McpJsonContext.Default.DictionaryStringJsonElement)!;

    private static string Text(CallToolResult result) => ((TextContentBlock)result.Content[0]).Text;

    private static Task<McpClient> ConnectAsync(Uri endpoint, McpClientOptions? options = null, ListLoggerFactory? logs = null) =>
        McpClient.ConnectAsync(new StreamableHttpClientTransport(new HttpClientTransportOptions { Endpoint = endpoint }, logs), options, logs);

    private static void AddRouteTool(McpServer server) =>
        server.Tools.Add(new Tool { Name = "route", InputSchema = Json(RouteSchema) }, static ctx => ValueTask.FromResult(CallToolResult.FromText("to " + ctx.Params.Arguments?["region"].GetString())));

    [Theory]
    [InlineData(ProtocolMode.Modern, "2026-07-28")]
    [InlineData(ProtocolMode.Auto, "2025-11-25")]
    public async Task A_probe_answered_after_the_discover_timeout_falls_back_only_for_a_client_that_may(ProtocolMode mode, string expected)
    {
        // The server holds the first server/discover until the client's clock has passed DiscoverTimeout (a loaded
        // server, a slow sign-in): an Auto client falls back to initialize; a Modern one has nothing to fall back to, so
        // it waits as for any request and gets the answer.
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int probes = 0;
        await using var server = await TestServer.StartAsync(pipeline: app => app.Use(async (http, next) =>
        {
            if (http.Request.Method == "POST" && http.Request.Headers["Mcp-Method"] == "server/discover" && Interlocked.Increment(ref probes) == 1)
            {
                arrived.SetResult();
                await held.Task;
            }

            await next(http);
        }));
        var connecting = McpClient.ConnectAsync(new StreamableHttpClientTransport(new HttpClientTransportOptions { Endpoint = server.Endpoint }), new McpClientOptions { ProtocolMode = mode }, timeProvider: time);
        await arrived.Task;

        time.Advance(TimeSpan.FromSeconds(11));
        held.SetResult();
        await using var client = await connecting;

        Assert.Equal(expected, client.ProtocolVersion);
    }

    [Fact]
    public async Task An_auto_client_probes_with_discover_then_sends_every_request_alone_with_the_standard_headers_M26_HTTP_BACKCOMPAT_CLIENT()
    {
        var seen = new Recorder();
        await using var server = await TestServer.StartAsync(
            configure: s =>
            {
                AddRouteTool(s);
                s.Resources.Add(new Resource { Uri = "a://some file.txt", Name = "f" }, static ctx => ValueTask.FromResult(new ReadResourceResult { Contents = [new TextResourceContents { Uri = ctx.Params.Uri, Text = "t" }] }));
            },
            pipeline: seen.Install);
        var client = await ConnectAsync(server.Endpoint);
        Assert.True(client.IsPerRequest);
        Assert.Equal("2026-07-28", client.ProtocolVersion);
        Assert.Equal("http-test", client.ServerInfo.Name);
        Assert.NotNull(client.ServerCapabilities.Tools);

        await client.ListToolsAsync();
        Assert.Equal("to zürich", Text(await client.CallToolAsync("route", Args("""{"region":"zürich","size":3,"note":"not mirrored"}"""))));
        Assert.Equal("to eu west", Text(await client.CallToolAsync("route", Args("""{"region":"eu west","size":null}"""))));
        await client.ReadResourceAsync("a://some file.txt");
        await client.DisposeAsync();

        var requests = seen.All;
        Assert.Equal("server/discover", requests[0].BodyMethod);
        Assert.All(requests, r =>
        {
            // M26-HTTP-PV-HEADER, M26-HTTP-MCP-METHOD; no session, no GET stream, no DELETE (M26-HTTP-NO-SESSION).
            Assert.Equal("POST", r.HttpMethod);
            Assert.Equal("2026-07-28", r.Header("MCP-Protocol-Version"));
            Assert.Equal(r.BodyMethod, r.Header("Mcp-Method"));
            Assert.Null(r.Header("MCP-Session-Id"));
        });
        var calls = requests.Where(r => r.BodyMethod == "tools/call").ToList();
        Assert.Equal(2, calls.Count);

        // M26-HTTP-XMCP-CLIENT: annotated arguments mirrored (non-ASCII in the Base64 form, integers in decimal),
        // an unannotated one not, a null one omitted.
        Assert.Equal(("route", McpHeaderValue.Encode("zürich"), "3"), (calls[0].Header("Mcp-Name"), calls[0].Header("Mcp-Param-Region"), calls[0].Header("Mcp-Param-Size")));
        Assert.StartsWith("=?base64?", calls[0].Header("Mcp-Param-Region"), StringComparison.Ordinal);
        Assert.Null(calls[0].Header("Mcp-Param-Note"));
        Assert.Equal(("eu west", null), (calls[1].Header("Mcp-Param-Region"), calls[1].Header("Mcp-Param-Size")));
        Assert.Equal("a://some file.txt", requests.Single(r => r.BodyMethod == "resources/read").Header("Mcp-Name"));
    }

    [Fact]
    public async Task A_stateful_server_refuses_the_probe_with_32022_and_the_client_falls_back_to_a_session()
    {
        var seen = new Recorder();
        await using var server = await TestServer.StartAsync(http: o => o.SessionMode = McpSessionMode.Stateful, pipeline: seen.Install);
        await using var client = await ConnectAsync(server.Endpoint, new McpClientOptions { ListenForChanges = true });
        Assert.False(client.IsPerRequest);
        Assert.Equal("2025-11-25", client.ProtocolVersion);
        Assert.Equal("echo:x", Text(await client.CallToolAsync("echo", Args("""{"text":"x"}"""))));
        Assert.Equal(["server/discover", "initialize", "notifications/initialized"], seen.All.Where(r => r.HttpMethod == "POST").Take(3).Select(r => r.BodyMethod));
        Assert.Equal(1, server.Sessions.Count);
    }

    [Fact]
    public async Task A_pinned_version_disables_the_probe_and_a_modern_only_client_refuses_a_handshake_server()
    {
        var seen = new Recorder();
        await using var server = await TestServer.StartAsync(http: o => o.SessionMode = McpSessionMode.Stateful, pipeline: seen.Install);
        await using (var pinned = await ConnectAsync(server.Endpoint, new McpClientOptions { ProtocolVersion = "2025-06-18" }))
        {
            Assert.Equal("2025-06-18", pinned.ProtocolVersion);
        }

        Assert.Equal("initialize", seen.All[0].BodyMethod);
        await Assert.ThrowsAsync<NotSupportedException>(() => ConnectAsync(server.Endpoint, new McpClientOptions { ProtocolMode = ProtocolMode.Modern }));
        await Assert.ThrowsAsync<ArgumentException>(() => ConnectAsync(server.Endpoint, new McpClientOptions { ProtocolMode = ProtocolMode.Modern, ProtocolVersion = "2025-11-25" }));
    }

    [Fact]
    public async Task The_era_cache_remembers_a_handshake_only_server_so_the_next_client_does_not_probe()
    {
        var seen = new Recorder();
        await using var server = await TestServer.StartAsync(http: o => o.SessionMode = McpSessionMode.Stateful, pipeline: seen.Install);
        var cache = new McpEraCache();
        await using (await ConnectAsync(server.Endpoint, new McpClientOptions { EraCache = cache }))
        {
        }

        Assert.True(cache.IsHandshakeOnly(server.Endpoint.AbsoluteUri));
        int before = seen.All.Count;
        await using (var second = await ConnectAsync(server.Endpoint, new McpClientOptions { EraCache = cache }))
        {
            Assert.False(second.IsPerRequest);
        }

        Assert.Equal("initialize", seen.All[before].BodyMethod);
        Assert.DoesNotContain(seen.All.Skip(before), r => r.BodyMethod == "server/discover");
    }

    [Fact]
    public async Task Parallel_calls_answer_their_own_input_rounds_with_new_ids_M26_MRTR_CLIENT_ISOLATION()
    {
        var seen = new Recorder();
        await using var server = await TestServer.StartAsync(
            configure: s => s.Tools.Add(new Tool { Name = "ask", InputSchema = Json("""{"type":"object","properties":{"who":{"type":"string"}}}""") }, static async ctx =>
            {
                string who = ctx.Params.Arguments!["who"].GetString()!;
                var first = await ctx.ElicitAsync(new ElicitRequestParams { Message = who + "?", RequestedSchema = Json("""{"type":"object","properties":{"a":{"type":"string"}}}""") });
                var second = await ctx.ElicitAsync("again", new ElicitRequestParams { Message = who + "!", RequestedSchema = Json("""{"type":"object","properties":{"a":{"type":"string"}}}""") });
                return CallToolResult.FromText(first.Content!["a"].GetString() + "+" + second.Content!["a"].GetString());
            }),
            pipeline: seen.Install);
        var options = new McpClientOptions
        {
            ElicitationHandler = static async (request, ct) =>
            {
                await Task.Yield();
                return new ElicitResult { Action = "accept", Content = Args($$"""{"a":"{{request.Message}}"}""") };
            },
        };
        await using var client = await ConnectAsync(server.Endpoint, options);

        var calls = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => client.CallToolAsync("ask", Args($$"""{"who":"p{{i}}"}"""))));
        Assert.Equal(Enumerable.Range(0, 6).Select(i => $"p{i}?+p{i}!"), calls.Select(Text));

        // Three attempts per call, every one a new JSON-RPC id (M26-MRTR-CLIENT-NEWID).
        var attempts = seen.All.Where(r => r.BodyMethod == "tools/call").ToList();
        Assert.Equal(18, attempts.Count);
        Assert.Equal(18, attempts.Select(r => r.Id).Distinct().Count());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_cancelled_or_timed_out_call_closes_its_stream_and_the_handler_is_cancelled_without_a_notification_M26_CANCEL_HTTP(bool timeout)
    {
        var seen = new Recorder();
        var started = new TaskCompletionSource();
        var cancelled = new TaskCompletionSource();
        await using var server = await TestServer.StartAsync(
            configure: s => s.Tools.Add(new Tool { Name = "slow", InputSchema = Json("""{"type":"object"}""") }, async ctx =>
            {
                ctx.Progress.Report(new ProgressNotificationValue(0, 1));
                started.TrySetResult();
                try
                {
                    await Task.Delay(Timeout.Infinite, ctx.CancellationToken);
                }
                catch (OperationCanceledException)
                {
                    cancelled.TrySetResult();
                    throw;
                }

                return CallToolResult.FromText("never");
            }),
            pipeline: seen.Install);
        var clock = new TestClock();
        var transport = new StreamableHttpClientTransport(new HttpClientTransportOptions { Endpoint = server.Endpoint });
        await using var client = await McpClient.ConnectAsync(transport, new McpClientOptions { ListenForChanges = false }, timeProvider: clock);
        using var cts = new CancellationTokenSource();

        // Progress makes the answer an SSE stream: closing it is what tells the server. A timeout cancels no token of
        // the caller's, so only the transport can close the stream then.
        var call = client.CallToolAsync("slow", progress: new Reporter(_ => { }), timeout: TimeSpan.FromSeconds(5), cancellationToken: cts.Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        if (timeout)
        {
            clock.Advance(TimeSpan.FromSeconds(6));
            await Assert.ThrowsAsync<TimeoutException>(() => call);
        }
        else
        {
            await cts.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        }

        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.DoesNotContain(seen.All, r => r.BodyMethod == "notifications/cancelled");
    }

    [Fact]
    public async Task Tools_with_invalid_x_mcp_header_annotations_are_left_out_with_a_warning_M26_HTTP_XMCP_VALIDITY()
    {
        await using var server = await TestServer.StartAsync(configure: s =>
        {
            AddRouteTool(s);
            s.Tools.Add(new Tool { Name = "on_a_number", InputSchema = Json("""{"type":"object","properties":{"ratio":{"type":"number","x-mcp-header":"Ratio"}}}""") }, static _ => ValueTask.FromResult(CallToolResult.FromText("x")));
            s.Tools.Add(new Tool { Name = "twice", InputSchema = Json("""{"type":"object","properties":{"a":{"type":"string","x-mcp-header":"Same"},"b":{"type":"string","x-mcp-header":"same"}}}""") }, static _ => ValueTask.FromResult(CallToolResult.FromText("x")));
        });
        var logs = new ListLoggerFactory();
        await using var client = await ConnectAsync(server.Endpoint, null, logs);

        var names = await client.EnumerateToolsAsync().Select(t => t.Name).OrderBy(n => n, StringComparer.Ordinal).ToListAsync();
        Assert.Equal(["echo", "route"], names);
        Assert.Contains(logs.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning && e.Message.Contains("'on_a_number'", StringComparison.Ordinal));
        Assert.Contains(logs.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning && e.Message.Contains("'twice'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_call_refused_for_its_parameter_headers_lists_the_tools_and_is_sent_once_more_M26_HTTP_XMCP_SERVER()
    {
        var seen = new Recorder();
        await using var server = await TestServer.StartAsync(configure: AddRouteTool, pipeline: seen.Install);
        await using var client = await ConnectAsync(server.Endpoint, new McpClientOptions { ListenForChanges = false });

        // Never listed: the first call lacks Mcp-Param-Region, the server answers -32020, the client learns and retries.
        Assert.Equal("to north", Text(await client.CallToolAsync("route", Args("""{"region":"north"}"""))));
        Assert.Equal(["tools/call", "tools/list", "tools/call"], seen.All.Skip(1).Select(r => r.BodyMethod));
        Assert.Equal("north", seen.All[^1].Header("Mcp-Param-Region"));
    }

    [Fact]
    public async Task A_list_is_served_from_the_cache_for_its_ttl_and_a_list_change_drops_it_M26_CACHE_CLIENT()
    {
        var seen = new Recorder();
        await using var server = await TestServer.StartAsync(configure: s => s.Options.Caching.ListTimeToLive = TimeSpan.FromHours(1), pipeline: seen.Install);
        await using var client = await ConnectAsync(server.Endpoint);
        Assert.True(client.ServerCapabilities.Tools!.ListChanged);
        var changed = new TaskCompletionSource<string>();
        client.ListChanged += (_, method) => changed.TrySetResult(method);
        await client.ListToolsAsync();
        await client.ListToolsAsync();
        Assert.Single(seen.All, r => r.BodyMethod == "tools/list");

        // The change reaches the client on its background listen, once the server has acknowledged it.
        await Eventually.WaitUntilAsync(() => server.Server.Subscriptions.Count > 0, "the client's listen");
        server.Server.NotifyToolsListChanged();
        Assert.Equal("notifications/tools/list_changed", await changed.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        await client.ListToolsAsync();
        Assert.Equal(2, seen.All.Count(r => r.BodyMethod == "tools/list"));
    }

    [Fact]
    public async Task ListenAsync_yields_the_acknowledgement_first_then_only_the_changes_asked_for_M26_SUB_ACK_FIRST()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await ConnectAsync(server.Endpoint, new McpClientOptions { ListenForChanges = false });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var listen = client.ListenAsync(new SubscriptionFilter { ToolsListChanged = true }, cts.Token).GetAsyncEnumerator(cts.Token);

        Assert.True(await listen.MoveNextAsync());
        Assert.Equal("notifications/subscriptions/acknowledged", listen.Current.Method);
        var honoured = listen.Current.Params.Deserialize(McpJsonContext.Default.SubscriptionsAcknowledgedNotificationParams)!;
        Assert.True(honoured.Notifications.ToolsListChanged);

        server.Server.NotifyPromptsListChanged();
        server.Server.NotifyToolsListChanged();
        Assert.True(await listen.MoveNextAsync());
        Assert.Equal("notifications/tools/list_changed", listen.Current.Method);
    }

    [Fact]
    public async Task Subscribing_renews_the_listen_and_resource_updates_raise_the_event()
    {
        await using var server = await TestServer.StartAsync(configure: s => s.Resources.Add(new Resource { Uri = "a://r", Name = "r" }, static ctx => ValueTask.FromResult(new ReadResourceResult())));
        await using var client = await ConnectAsync(server.Endpoint);
        var updated = new TaskCompletionSource<string>();
        client.ResourceUpdated += (_, u) => updated.TrySetResult(u.Uri);

        // Completes once the server acknowledged the listen that carries the resource.
        await client.SubscribeAsync("a://r");
        await server.Server.NotifyResourceUpdatedAsync("a://r");
        Assert.Equal("a://r", await updated.Task.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    /// <summary>Every HTTP request the endpoint got: method, headers, the body's JSON-RPC method and id.</summary>
    private sealed class Recorder
    {
        private readonly ConcurrentQueue<Seen> _seen = new();

        public List<Seen> All => [.. _seen];

        public void Install(WebApplication app) => app.Use(async (context, next) =>
        {
            context.Request.EnableBuffering();
            string body = await new StreamReader(context.Request.Body, leaveOpen: true).ReadToEndAsync();
            context.Request.Body.Position = 0;
            string? method = null, id = null;
            if (body.Length > 0)
            {
                using var json = JsonDocument.Parse(body);
                if (json.RootElement.ValueKind == JsonValueKind.Object)
                {
                    method = json.RootElement.TryGetProperty("method", out var m) ? m.GetString() : null;
                    id = json.RootElement.TryGetProperty("id", out var i) ? i.GetRawText() : null;
                }
            }

            _seen.Enqueue(new Seen(context.Request.Method, method, id, context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
            await next(context);
        });
    }

    private sealed record Seen(string HttpMethod, string? BodyMethod, string? Id, Dictionary<string, string> Headers)
    {
        public string? Header(string name) => Headers.TryGetValue(name, out string? value) ? value : null;
    }
}

using System.Text.Json;
using McpSharp.Protocol;
using McpSharp.Server;
using McpSharp.Tests.TestSupport;

namespace McpSharp.Tests.Server;

/// <summary>The server core over an in-memory transport, driven by the JSON-RPC engine as a client.</summary>
public class ServerTests
{
    private static McpServer CreateServer(int pageSize = 100)
    {
        var server = new McpServer(new McpServerOptions { PageSize = pageSize, Instructions = "Be nice." });
        server.Tools.Add(new Tool { Name = "echo", InputSchema = TestPeer.Json("""{"type":"object"}""") }, static ctx => ValueTask.FromResult(CallToolResult.FromText(ctx.Params.Arguments!["text"].GetString()!)));
        return server;
    }

    [Fact]
    public async Task Initialize_answers_version_capabilities_info_and_instructions_LIFE_INIT_RESP()
    {
        await using var peer = new TestPeer(CreateServer());
        var result = await peer.InitializeAsync("2025-06-18");
        Assert.Equal("2025-06-18", result.ProtocolVersion);
        Assert.Equal("Be nice.", result.Instructions);
        Assert.True(result.Capabilities.Tools!.ListChanged);
        Assert.NotNull(result.Capabilities.Logging);
        Assert.Null(result.Capabilities.Prompts);
        Assert.Equal("2025-06-18", peer.Session.ProtocolVersion);
        Assert.Equal("test", peer.Session.ClientInfo!.Name);
    }

    [Fact]
    public async Task Unsupported_requested_version_is_answered_with_the_latest_handshake_revision()
    {
        await using var peer = new TestPeer(CreateServer());
        Assert.Equal(ProtocolVersions.LatestHandshake, (await peer.InitializeAsync("1999-01-01")).ProtocolVersion);
    }

    [Fact]
    public async Task Requests_before_initialize_are_refused_except_ping_LIFE_INIT_FIRST()
    {
        await using var peer = new TestPeer(CreateServer());
        Assert.Equal(JsonValueKind.Object, (await peer.RequestAsync("ping")).ValueKind);
        var error = await peer.RequestErrorAsync("tools/list");
        Assert.Equal(McpErrorCodes.InvalidRequest, error.ErrorCode);
    }

    [Fact]
    public async Task An_access_filter_hides_what_the_caller_may_not_use_and_answers_its_calls_as_unknown()
    {
        var seen = new List<(McpPrimitiveKind, string, bool)>();
        var server = new McpServer(new McpServerOptions
        {
            // Over this transport no one is authenticated: the filter sees a null user.
            AccessFilter = (kind, name, user) =>
            {
                lock (seen)
                {
                    seen.Add((kind, name, user is null));
                }

                return !name.StartsWith("secret", StringComparison.Ordinal);
            },
        });
        server.Tools.Add(new Tool { Name = "open", InputSchema = TestPeer.Json("""{"type":"object"}""") }, static _ => ValueTask.FromResult(CallToolResult.FromText("open")));
        server.Tools.Add(new Tool { Name = "secret_tool", InputSchema = TestPeer.Json("""{"type":"object"}""") }, static _ => ValueTask.FromResult(CallToolResult.FromText("secret")));
        server.Prompts.Add(new Prompt { Name = "secret_prompt" }, static _ => ValueTask.FromResult(new GetPromptResult()));
        server.Resources.Add(new Resource { Uri = "secret://r", Name = "r" }, static _ => ValueTask.FromResult(new ReadResourceResult()));
        server.CompletionHandler = static _ => ValueTask.FromResult(new Completion { Values = ["x"] });
        await using var peer = new TestPeer(server);
        await peer.InitializeAsync();

        var tools = (await peer.RequestAsync("tools/list", "{}")).GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("name").GetString());
        Assert.Equal(["open"], tools);
        Assert.Empty((await peer.RequestAsync("prompts/list", "{}")).GetProperty("prompts").EnumerateArray());
        Assert.Empty((await peer.RequestAsync("resources/list", "{}")).GetProperty("resources").EnumerateArray());
        Assert.Equal(McpErrorCodes.InvalidParams, (await peer.RequestErrorAsync("tools/call", """{"name":"secret_tool"}""")).ErrorCode);
        Assert.Equal(McpErrorCodes.InvalidParams, (await peer.RequestErrorAsync("prompts/get", """{"name":"secret_prompt"}""")).ErrorCode);
        Assert.Equal(McpErrorCodes.ResourceNotFound, (await peer.RequestErrorAsync("resources/read", """{"uri":"secret://r"}""")).ErrorCode);
        Assert.Equal(McpErrorCodes.ResourceNotFound, (await peer.RequestErrorAsync("resources/subscribe", """{"uri":"secret://r"}""")).ErrorCode);
        Assert.Equal(McpErrorCodes.InvalidParams, (await peer.RequestErrorAsync("completion/complete", """{"ref":{"type":"ref/prompt","name":"secret_prompt"},"argument":{"name":"a","value":""}}""")).ErrorCode);
        lock (seen)
        {
            Assert.Contains((McpPrimitiveKind.Tool, "secret_tool", true), seen);
            Assert.Contains((McpPrimitiveKind.Resource, "secret://r", true), seen);
        }
    }

    [Fact]
    public async Task A_second_initialize_is_an_error()
    {
        await using var peer = new TestPeer(CreateServer());
        await peer.InitializeAsync();
        var error = await Assert.ThrowsAsync<McpProtocolException>(() => peer.InitializeAsync());
        Assert.Equal(McpErrorCodes.InvalidRequest, error.ErrorCode);
    }

    [Fact]
    public async Task Initialize_with_bad_params_is_32602()
    {
        await using var peer = new TestPeer(CreateServer());
        Assert.Equal(McpErrorCodes.InvalidParams, (await peer.RequestErrorAsync("initialize", """{"capabilities":{}}""")).ErrorCode);
    }

    [Fact]
    public async Task Unknown_method_is_32601_and_undeclared_features_too_CAP_ONLY_NEGOTIATED()
    {
        await using var peer = new TestPeer(CreateServer());
        await peer.InitializeAsync();
        Assert.Equal(McpErrorCodes.MethodNotFound, (await peer.RequestErrorAsync("server/discover")).ErrorCode);
        Assert.Equal(McpErrorCodes.MethodNotFound, (await peer.RequestErrorAsync("prompts/list")).ErrorCode);
        Assert.Equal(McpErrorCodes.MethodNotFound, (await peer.RequestErrorAsync("completion/complete", """{"ref":{"type":"ref/prompt","name":"x"},"argument":{"name":"a","value":""}}""")).ErrorCode);
    }

    [Fact]
    public async Task Tool_call_returns_the_result_and_unknown_tool_is_32602_TOOL_ERR_PROTOCOL()
    {
        await using var peer = new TestPeer(CreateServer());
        await peer.InitializeAsync();
        var result = await peer.RequestAsync("tools/call", """{"name":"echo","arguments":{"text":"hi"}}""");
        Assert.Equal("hi", result.GetProperty("content")[0].GetProperty("text").GetString());
        var error = await peer.RequestErrorAsync("tools/call", """{"name":"nope"}""");
        Assert.Equal(McpErrorCodes.InvalidParams, error.ErrorCode);
        Assert.Equal("Unknown tool: nope", error.Message);
        Assert.Equal(McpErrorCodes.InvalidParams, (await peer.RequestErrorAsync("tools/call", """{"arguments":{}}""")).ErrorCode);
    }

    [Fact]
    public async Task A_throwing_tool_gives_an_error_result_not_a_protocol_error_TOOL_ERR_INRESULT()
    {
        var server = CreateServer();
        server.Tools.Add(new Tool { Name = "fail", InputSchema = TestPeer.Json("""{"type":"object"}""") }, static _ => throw new InvalidOperationException("disk full"));
        await using var peer = new TestPeer(server);
        await peer.InitializeAsync();
        var result = await peer.RequestAsync("tools/call", """{"name":"fail"}""");
        Assert.True(result.GetProperty("isError").GetBoolean());
        Assert.Equal("Tool 'fail' failed: disk full", result.GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task Lists_are_paginated_with_opaque_cursors_and_cover_every_item_once_PAGE_OPS()
    {
        var server = CreateServer(pageSize: 3);
        for (int i = 0; i < 7; i++)
        {
            server.Tools.Add(new Tool { Name = $"t{i}", InputSchema = TestPeer.Json("""{"type":"object"}""") }, static _ => ValueTask.FromResult(new CallToolResult()));
        }

        await using var peer = new TestPeer(server);
        await peer.InitializeAsync();
        var names = new List<string>();
        string? cursor = null;
        int pages = 0;
        do
        {
            var page = await peer.RequestAsync("tools/list", cursor is null ? "{}" : $$"""{"cursor":"{{cursor}}"}""");
            names.AddRange(page.GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("name").GetString()!));
            cursor = page.TryGetProperty("nextCursor", out var next) ? next.GetString() : null;
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(3, pages);
        Assert.Equal(["echo", "t0", "t1", "t2", "t3", "t4", "t5", "t6"], names);
    }

    [Theory]
    [InlineData("not-base64!!")]
    [InlineData("Zm9vYmFy")]
    public async Task An_invalid_cursor_is_32602_PAGE_INVALID(string cursor)
    {
        await using var peer = new TestPeer(CreateServer());
        await peer.InitializeAsync();
        Assert.Equal(McpErrorCodes.InvalidParams, (await peer.RequestErrorAsync("tools/list", $$"""{"cursor":"{{cursor}}"}""")).ErrorCode);
    }

    [Fact]
    public async Task Adding_a_tool_sends_tools_list_changed_TOOL_LISTCHANGED()
    {
        var server = CreateServer();
        await using var peer = new TestPeer(server);
        await peer.InitializeAsync();
        await peer.RequestAsync("ping");
        server.Tools.Add(new Tool { Name = "later", InputSchema = TestPeer.Json("""{"type":"object"}""") }, static _ => ValueTask.FromResult(new CallToolResult()));
        await peer.NextNotificationAsync(McpMethods.NotificationsToolsListChanged);
        Assert.True(server.Tools.Remove("later"));
        await peer.NextNotificationAsync(McpMethods.NotificationsToolsListChanged);
    }

    [Fact]
    public async Task Invalid_tool_names_are_rejected_at_registration_TOOL_NAME_CHARS()
    {
        var server = new McpServer();
        Assert.Throws<ArgumentException>(() => server.Tools.Add(new Tool { Name = "has space", InputSchema = TestPeer.Json("{}") }, static _ => default));
        Assert.Throws<ArgumentException>(() => server.Tools.Add(new Tool { Name = new string('a', 129), InputSchema = TestPeer.Json("{}") }, static _ => default));
        Assert.Throws<ArgumentException>(() => server.Tools.Add(new Tool { Name = "ok", InputSchema = TestPeer.Json("null") }, static _ => default));
        server.Tools.Add(new Tool { Name = "A-z_0.9", InputSchema = TestPeer.Json("{}") }, static _ => default);
        Assert.Throws<ArgumentException>(() => server.Tools.Add(new Tool { Name = "A-z_0.9", InputSchema = TestPeer.Json("{}") }, static _ => default));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Resources_read_fixed_and_templated_uris_and_missing_ones_are_32002_RES_NOTFOUND()
    {
        var server = new McpServer();
        server.Resources.Add(new Resource { Uri = "a://fixed", Name = "fixed" }, static ctx => ValueTask.FromResult(new ReadResourceResult { Contents = [new TextResourceContents { Uri = ctx.Params.Uri, Text = "F" }] }));
        server.ResourceTemplates.Add(new ResourceTemplate { UriTemplate = "a://items/{id}", Name = "item" }, static (ctx, v) => ValueTask.FromResult(new ReadResourceResult { Contents = [new TextResourceContents { Uri = ctx.Params.Uri, Text = "item " + v["id"] }] }));
        await using var peer = new TestPeer(server);
        await peer.InitializeAsync();

        Assert.Equal("F", (await peer.RequestAsync("resources/read", """{"uri":"a://fixed"}""")).GetProperty("contents")[0].GetProperty("text").GetString());
        Assert.Equal("item 42", (await peer.RequestAsync("resources/read", """{"uri":"a://items/42"}""")).GetProperty("contents")[0].GetProperty("text").GetString());
        var error = await peer.RequestErrorAsync("resources/read", """{"uri":"a://missing"}""");
        Assert.Equal(McpErrorCodes.ResourceNotFound, error.ErrorCode);
        Assert.Equal("a://missing", error.ErrorData!.Value.GetProperty("uri").GetString());
        Assert.Equal("a://items/{id}", (await peer.RequestAsync("resources/templates/list")).GetProperty("resourceTemplates")[0].GetProperty("uriTemplate").GetString());
    }

    [Fact]
    public async Task Subscribers_get_resources_updated_and_unsubscribed_ones_do_not_RES_SUBSCRIBE()
    {
        var server = new McpServer();
        server.Resources.Add(new Resource { Uri = "a://watched", Name = "w" }, static ctx => ValueTask.FromResult(new ReadResourceResult()));
        await using var subscriber = new TestPeer(server);
        await using var bystander = new TestPeer(server);
        await subscriber.InitializeAsync();
        await bystander.InitializeAsync();
        await subscriber.RequestAsync("resources/subscribe", """{"uri":"a://watched"}""");
        await bystander.RequestAsync("ping");

        await server.NotifyResourceUpdatedAsync("a://watched/part");
        var updated = await subscriber.NextNotificationAsync(McpMethods.NotificationsResourcesUpdated);
        Assert.Equal("a://watched/part", updated.Params.Deserialize(McpJsonContext.Default.ResourceUpdatedNotificationParams)!.Uri);

        await subscriber.RequestAsync("resources/unsubscribe", """{"uri":"a://watched"}""");
        await server.NotifyResourceUpdatedAsync("a://watched");
        await subscriber.RequestAsync("ping");
        Assert.False(subscriber.Notifications.Reader.TryPeek(out _));
        Assert.False(bystander.Notifications.Reader.TryPeek(out _));
    }

    [Fact]
    public async Task Log_messages_below_the_set_level_are_not_sent_LOG_SETLEVEL()
    {
        var server = CreateServer();
        server.Tools.Add(new Tool { Name = "log", InputSchema = TestPeer.Json("""{"type":"object"}""") }, static async ctx =>
        {
            foreach (var level in Enum.GetValues<LoggingLevel>())
            {
                await ctx.LogAsync(level, level.ToString());
            }

            return new CallToolResult();
        });
        await using var peer = new TestPeer(server);
        await peer.InitializeAsync();
        await peer.RequestAsync("logging/setLevel", """{"level":"error"}""");
        await peer.RequestAsync("tools/call", """{"name":"log"}""");

        var levels = new List<string>();
        while (peer.Notifications.Reader.TryRead(out var n))
        {
            levels.Add(n.Params.Deserialize(McpJsonContext.Default.LoggingMessageNotificationParams)!.Level.ToString());
        }

        Assert.Equal(["Error", "Critical", "Alert", "Emergency"], levels);
        Assert.Equal(McpErrorCodes.InvalidParams, (await peer.RequestErrorAsync("logging/setLevel", """{"level":"loud"}""")).ErrorCode);
    }

    [Fact]
    public async Task Prompts_check_required_arguments_PROMPT_ERRORS()
    {
        var server = new McpServer();
        server.Prompts.Add(
            new Prompt { Name = "p", Arguments = [new PromptArgument { Name = "x", Required = true }] },
            static ctx => ValueTask.FromResult(new GetPromptResult { Messages = [new PromptMessage { Role = Role.User, Content = new TextContentBlock("x=" + ctx.Params.Arguments!["x"]) }] }));
        await using var peer = new TestPeer(server);
        await peer.InitializeAsync();

        Assert.Equal("x=1", (await peer.RequestAsync("prompts/get", """{"name":"p","arguments":{"x":"1"}}""")).GetProperty("messages")[0].GetProperty("content").GetProperty("text").GetString());
        Assert.Equal(McpErrorCodes.InvalidParams, (await peer.RequestErrorAsync("prompts/get", """{"name":"p"}""")).ErrorCode);
        Assert.Equal(McpErrorCodes.InvalidParams, (await peer.RequestErrorAsync("prompts/get", """{"name":"q"}""")).ErrorCode);
    }

    [Fact]
    public async Task Completion_returns_at_most_100_values_COMP_MAX()
    {
        var server = new McpServer();
        server.Prompts.Add(new Prompt { Name = "p" }, static _ => ValueTask.FromResult(new GetPromptResult()));
        server.CompletionHandler = static _ => ValueTask.FromResult(new Completion { Values = Enumerable.Range(0, 150).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray() });
        await using var peer = new TestPeer(server);
        var init = await peer.InitializeAsync();
        Assert.NotNull(init.Capabilities.Completions);

        var completion = (await peer.RequestAsync("completion/complete", """{"ref":{"type":"ref/prompt","name":"p"},"argument":{"name":"a","value":""}}""")).GetProperty("completion");
        Assert.Equal(100, completion.GetProperty("values").GetArrayLength());
        Assert.True(completion.GetProperty("hasMore").GetBoolean());
        Assert.Equal(150, completion.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Progress_is_sent_with_the_clients_token_before_the_response_and_only_increasing_PROG_INCREASE()
    {
        var server = new McpServer();
        server.Tools.Add(new Tool { Name = "work", InputSchema = TestPeer.Json("""{"type":"object"}""") }, static ctx =>
        {
            ctx.Progress.Report(new ProgressNotificationValue(1, 3));
            ctx.Progress.Report(new ProgressNotificationValue(1, 3));
            ctx.Progress.Report(new ProgressNotificationValue(2, 3));
            ctx.Progress.Report(new ProgressNotificationValue(3, 3, "done"));
            return ValueTask.FromResult(CallToolResult.FromText("ok"));
        });
        await using var peer = new TestPeer(server);
        await peer.InitializeAsync();
        await peer.RequestAsync("tools/call", """{"name":"work","_meta":{"progressToken":42}}""");

        var reports = new List<ProgressNotificationParams>();
        while (peer.Notifications.Reader.TryRead(out var n))
        {
            reports.Add(n.Params.Deserialize(McpJsonContext.Default.ProgressNotificationParams)!);
        }

        Assert.Equal([1d, 2d, 3d], reports.Select(r => r.Progress));
        Assert.All(reports, r => Assert.Equal(new ProgressToken(42), r.ProgressToken));
    }

    [Fact]
    public async Task Server_to_client_requests_wait_for_initialized_and_respect_capabilities_LIFE_SERVER_EARLY()
    {
        var server = new McpServer();
        server.Tools.Add(new Tool { Name = "ask", InputSchema = TestPeer.Json("""{"type":"object"}""") }, static async ctx =>
        {
            var sample = await ctx.SampleAsync(new CreateMessageRequestParams { Messages = [new SamplingMessage { Role = Role.User, Content = [new TextContentBlock("q")] }], MaxTokens = 10 });
            var roots = await ctx.ListRootsAsync();
            return CallToolResult.FromText($"{sample.Model}:{roots.Roots.Count}");
        });
        await using var peer = new TestPeer(server);
        peer.RequestHandlers["sampling/createMessage"] = static _ => McpSharp.JsonRpc.JsonPayload.FromRaw("""{"role":"assistant","content":{"type":"text","text":"a"},"model":"m1"}"""u8.ToArray());
        peer.RequestHandlers["roots/list"] = static _ => McpSharp.JsonRpc.JsonPayload.FromRaw("""{"roots":[{"uri":"file:///r"}]}"""u8.ToArray());

        await peer.InitializeAsync(capabilities: """{"sampling":{},"roots":{}}""", sendInitialized: false);
        var early = await peer.RequestAsync("tools/call", """{"name":"ask"}""");
        Assert.True(early.GetProperty("isError").GetBoolean());

        await peer.NotifyAsync("notifications/initialized");
        await peer.RequestAsync("ping");
        var result = await peer.RequestAsync("tools/call", """{"name":"ask"}""");
        Assert.Equal("m1:1", result.GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task Sampling_with_tools_is_refused_for_clients_without_sampling_tools_SAMP_TOOLS_GATE()
    {
        var server = new McpServer();
        server.Tools.Add(new Tool { Name = "ask", InputSchema = TestPeer.Json("""{"type":"object"}""") }, static async ctx =>
        {
            await ctx.SampleAsync(new CreateMessageRequestParams { Messages = [], MaxTokens = 10, Tools = [new Tool { Name = "t", InputSchema = TestPeer.Json("{}") }] });
            return CallToolResult.FromText("sent");
        });
        await using var peer = new TestPeer(server);
        await peer.InitializeAsync(capabilities: """{"sampling":{}}""");
        var result = await peer.RequestAsync("tools/call", """{"name":"ask"}""");
        Assert.True(result.GetProperty("isError").GetBoolean());
        Assert.Contains("sampling.tools", result.GetProperty("content")[0].GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_server_can_ping_the_client_PING_RESPOND()
    {
        await using var peer = new TestPeer(CreateServer());
        int pings = 0;
        peer.RequestHandlers["ping"] = _ =>
        {
            Interlocked.Increment(ref pings);
            return McpSharp.JsonRpc.JsonPayload.None;
        };

        await peer.InitializeAsync();
        await peer.Session.PingAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, pings);
    }

    [Fact]
    public async Task A_client_error_to_a_sampling_request_becomes_a_tool_error_not_the_calls_error()
    {
        var server = new McpServer();
        server.Tools.Add(new Tool { Name = "ask", InputSchema = TestPeer.Json("""{"type":"object"}""") }, static async ctx =>
        {
            await ctx.SampleAsync(new CreateMessageRequestParams { Messages = [], MaxTokens = 10 });
            return CallToolResult.FromText("unreachable");
        });
        await using var peer = new TestPeer(server);
        peer.RequestHandlers["sampling/createMessage"] = static _ => throw new McpProtocolException(-1, "User rejected sampling");
        await peer.InitializeAsync(capabilities: """{"sampling":{}}""");

        var result = await peer.RequestAsync("tools/call", """{"name":"ask"}""");
        Assert.True(result.GetProperty("isError").GetBoolean());
        Assert.Contains("User rejected sampling", result.GetProperty("content")[0].GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_throwing_notification_handler_does_not_end_the_session()
    {
        var server = CreateServer();
        await using var peer = new TestPeer(server);
        await peer.InitializeAsync(capabilities: """{"roots":{"listChanged":true}}""");
        peer.Session.RootsListChanged += (_, _) => throw new OperationCanceledException("handler bug");
        await peer.NotifyAsync("notifications/roots/list_changed");
        Assert.Equal(JsonValueKind.Object, (await peer.RequestAsync("ping")).ValueKind);
    }
}

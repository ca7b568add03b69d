using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using McpSharp.AspNetCore.Tests.TestSupport;
using McpSharp.Protocol;
using McpSharp.Server;
using static McpSharp.AspNetCore.Tests.TestSupport.TestServer;

namespace McpSharp.AspNetCore.Tests;

/// <summary>
/// Revision 2026-07-28 over Streamable HTTP on a real Kestrel, one test per row of the checklist's HTTP table
/// (section 3, "R&lt;n&gt;") and per edge case of section 2.3, on the default hybrid endpoint that serves 2025 sessions
/// too.
/// </summary>
public sealed class PerRequestHttpTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private readonly TaskCompletionSource<bool> _slowCancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _slowStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(configure: server =>
    {
        server.Tools.Add(
            new Tool { Name = "region", Description = "Region-routed.", InputSchema = Json("""{"type":"object","properties":{"region":{"type":"string","x-mcp-header":"Region"},"count":{"type":"integer","x-mcp-header":"Count"},"query":{"type":"string"}}}""") },
            static ctx => ValueTask.FromResult(CallToolResult.FromText("region ok")));
        server.Tools.Add(new Tool { Name = "needs_sampling", InputSchema = Json("""{"type":"object"}""") }, static async ctx =>
        {
            var reply = await ctx.SampleAsync(new CreateMessageRequestParams { Messages = [new SamplingMessage { Role = Role.User, Content = [new TextContentBlock("q")] }], MaxTokens = 5 });
            return CallToolResult.FromText(((TextContentBlock)reply.Content[0]).Text);
        });
        server.Tools.Add(new Tool { Name = "ask", InputSchema = Json("""{"type":"object"}""") }, static async ctx =>
        {
            var answer = await ctx.ElicitAsync("user_name", new ElicitRequestParams { Message = "Name?", RequestedSchema = Json("""{"type":"object","properties":{"name":{"type":"string"}}}""") });
            return CallToolResult.FromText("Hello, " + answer.Content!["name"].GetString());
        });
        server.Tools.Add(new Tool { Name = "chatty", InputSchema = Json("""{"type":"object"}""") }, static async ctx =>
        {
            ctx.Progress.Report(new ProgressNotificationValue(1, 2));
            await ctx.LogAsync(LoggingLevel.Info, "info line");
            ctx.Progress.Report(new ProgressNotificationValue(2, 2));
            return CallToolResult.FromText("chatty done");
        });
        server.Tools.Add(new Tool { Name = "slow", InputSchema = Json("""{"type":"object"}""") }, async ctx =>
        {
            _slowStarted.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, ctx.CancellationToken);
            }
            catch (OperationCanceledException)
            {
                _slowCancelled.TrySetResult(true);
                throw;
            }

            return CallToolResult.FromText("never");
        });
        server.Resources.Add(new Resource { Uri = "test://café/ü", Name = "unicode" }, static ctx => ValueTask.FromResult(new ReadResourceResult { Contents = [new TextResourceContents { Uri = ctx.Params.Uri, Text = "unicode ok" }] }));
        server.Prompts.Add(new Prompt { Name = "p", Description = "A prompt." }, static _ => ValueTask.FromResult(new GetPromptResult()));
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private const string Caps = "{}";

    private static string Meta(string capabilities = Caps, string version = "2026-07-28", bool clientInfo = true, string? logLevel = null) =>
        "{\"io.modelcontextprotocol/protocolVersion\":\"" + version + "\",\"io.modelcontextprotocol/clientCapabilities\":" + capabilities
        + (clientInfo ? ",\"io.modelcontextprotocol/clientInfo\":{\"name\":\"t26\",\"version\":\"1\"}" : "")
        + (logLevel is null ? "" : ",\"io.modelcontextprotocol/logLevel\":\"" + logLevel + "\"") + "}";

    private static string Body(string method, string members = "", string? meta = null, object id = null!) =>
        "{\"jsonrpc\":\"2.0\",\"id\":" + JsonSerializer.Serialize(id ?? 1) + ",\"method\":\"" + method + "\",\"params\":{" + members + (members.Length > 0 ? "," : "") + "\"_meta\":" + (meta ?? Meta()) + "}}";

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>POSTs with the 2026 headers ("V"): each argument left null is sent as the body implies; "" leaves it out.</summary>
    private Task<HttpResponseMessage> PostModernAsync(string body, string? method = null, string? name = null, string? version = "2026-07-28", Action<HttpRequestMessage>? configure = null)
    {
        var parsed = Parse(body);
        method ??= parsed.ValueKind == JsonValueKind.Object && parsed.TryGetProperty("method", out var m) ? m.GetString() : null;
        if (name is null && parsed.ValueKind == JsonValueKind.Object && parsed.TryGetProperty("params", out var p))
        {
            name = p.TryGetProperty("name", out var n) ? n.GetString() : p.TryGetProperty("uri", out var u) ? u.GetString() : null;
        }

        return _server.PostAsync(body, protocolVersion: version?.Length == 0 ? null : version, configure: request =>
        {
            if (!string.IsNullOrEmpty(method))
            {
                request.Headers.TryAddWithoutValidation("Mcp-Method", method);
            }

            if (!string.IsNullOrEmpty(name))
            {
                request.Headers.TryAddWithoutValidation("Mcp-Name", McpSharp.Transports.Http.McpHeaderValue.Encode(name));
            }

            configure?.Invoke(request);
        });
    }

    private static async Task<JsonElement> SingleAsync(HttpResponseMessage response) => (await ReadMessagesAsync(response)).Last();

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, int code, object? id = null)
    {
        Assert.Equal(status, response.StatusCode);
        var error = await SingleAsync(response);
        Assert.Equal(code, error.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(JsonSerializer.Serialize(id ?? 1), error.GetProperty("id").GetRawText());
    }

    [Fact]
    public async Task R01_Discover_answers_versions_capabilities_and_hints_without_a_session()
    {
        using var response = await PostModernAsync(Body("server/discover"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("MCP-Session-Id"));
        var result = (await SingleAsync(response)).GetProperty("result");
        Assert.Equal("complete", result.GetProperty("resultType").GetString());
        Assert.Contains("2026-07-28", result.GetProperty("supportedVersions").EnumerateArray().Select(v => v.GetString()));
        Assert.True(result.GetProperty("capabilities").TryGetProperty("tools", out _));
        Assert.True(result.GetProperty("ttlMs").GetInt64() >= 0);
        Assert.Contains(result.GetProperty("cacheScope").GetString(), new[] { "public", "private" });
        Assert.Equal("http-test", result.GetProperty("_meta").GetProperty("io.modelcontextprotocol/serverInfo").GetProperty("name").GetString());
        Assert.Empty(_server.Server.Sessions);
    }

    [Fact]
    public async Task R02_R03_R04_List_and_call_are_complete_results_and_client_info_is_optional()
    {
        using (var list = await PostModernAsync(Body("tools/list")))
        {
            var result = (await SingleAsync(list)).GetProperty("result");
            Assert.True(result.GetProperty("tools").GetArrayLength() > 0);
            Assert.Equal("complete", result.GetProperty("resultType").GetString());
            Assert.True(result.TryGetProperty("ttlMs", out _) && result.TryGetProperty("cacheScope", out _));
        }

        using (var call = await PostModernAsync(Body("tools/call", "\"name\":\"echo\",\"arguments\":{\"text\":\"hi\"}")))
        {
            Assert.Equal(HttpStatusCode.OK, call.StatusCode);
            var result = (await SingleAsync(call)).GetProperty("result");
            Assert.Equal(("complete", "echo:hi"), (result.GetProperty("resultType").GetString(), result.GetProperty("content")[0].GetProperty("text").GetString()));
        }

        using var anonymous = await PostModernAsync(Body("tools/list", meta: Meta(clientInfo: false)));
        Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
    }

    [Fact]
    public async Task R05_R06_R07_A_missing_envelope_field_is_400_and_32602()
    {
        using (var noMeta = await PostModernAsync("""{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{}}"""))
        {
            await AssertErrorAsync(noMeta, HttpStatusCode.BadRequest, McpErrorCodes.InvalidParams);
        }

        using (var noCapabilities = await PostModernAsync(Body("tools/list", meta: """{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}""")))
        {
            await AssertErrorAsync(noCapabilities, HttpStatusCode.BadRequest, McpErrorCodes.InvalidParams);
        }

        using var noVersion = await PostModernAsync(Body("tools/list", meta: """{"io.modelcontextprotocol/clientCapabilities":{}}"""));
        await AssertErrorAsync(noVersion, HttpStatusCode.BadRequest, McpErrorCodes.InvalidParams);
    }

    [Fact]
    public async Task R08_R09_A_missing_or_disagreeing_version_header_is_400_and_32020()
    {
        using (var noHeader = await PostModernAsync(Body("tools/list"), version: ""))
        {
            await AssertErrorAsync(noHeader, HttpStatusCode.BadRequest, McpErrorCodes.HeaderMismatch);
        }

        using var mismatch = await PostModernAsync(Body("server/discover", meta: Meta(version: "v999.0.0")));
        await AssertErrorAsync(mismatch, HttpStatusCode.BadRequest, McpErrorCodes.HeaderMismatch);
    }

    [Fact]
    public async Task R10_An_unserved_version_is_400_and_32022_with_supported_and_requested()
    {
        using var response = await PostModernAsync(Body("server/discover", meta: Meta(version: "2099-01-01")), version: "2099-01-01");
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, McpErrorCodes.UnsupportedProtocolVersion);
        var data = (await SingleAsync(await PostModernAsync(Body("server/discover", meta: Meta(version: "2099-01-01")), version: "2099-01-01"))).GetProperty("error").GetProperty("data");
        Assert.Equal("2099-01-01", data.GetProperty("requested").GetString());
        Assert.Equal(["2026-07-28"], data.GetProperty("supported").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public async Task R11_R12_R13_R14_Mcp_Method_and_Mcp_Name_must_be_present_and_agree_with_the_body()
    {
        using (var noMethod = await PostModernAsync(Body("tools/list"), method: ""))
        {
            await AssertErrorAsync(noMethod, HttpStatusCode.BadRequest, McpErrorCodes.HeaderMismatch);
        }

        using (var wrongMethod = await PostModernAsync(Body("prompts/list"), method: "tools/list"))
        {
            await AssertErrorAsync(wrongMethod, HttpStatusCode.BadRequest, McpErrorCodes.HeaderMismatch);
        }

        using (var noName = await PostModernAsync(Body("tools/call", "\"name\":\"echo\""), name: ""))
        {
            await AssertErrorAsync(noName, HttpStatusCode.BadRequest, McpErrorCodes.HeaderMismatch);
        }

        using var wrongName = await PostModernAsync(Body("tools/call", "\"name\":\"echo\""), name: "foo");
        await AssertErrorAsync(wrongName, HttpStatusCode.BadRequest, McpErrorCodes.HeaderMismatch);
    }

    [Fact]
    public async Task R15_R16_Mcp_Name_in_the_base64_sentinel_is_decoded_and_a_malformed_one_is_32020()
    {
        string uri = "test://café/ü";
        using (var encoded = await PostModernAsync(Body("resources/read", "\"uri\":\"" + uri + "\"")))
        {
            Assert.Equal(HttpStatusCode.OK, encoded.StatusCode);
            Assert.Equal("unicode ok", (await SingleAsync(encoded)).GetProperty("result").GetProperty("contents")[0].GetProperty("text").GetString());
        }

        using var malformed = await PostModernAsync(Body("tools/call", "\"name\":\"echo\""), name: "=?base64?!!!?=");
        await AssertErrorAsync(malformed, HttpStatusCode.BadRequest, McpErrorCodes.HeaderMismatch);
    }

    [Theory]
    [InlineData("\"region\":\"us-west1\"", "us-west1", null, HttpStatusCode.OK)]
    [InlineData("\"region\":\"us-west1\"", "eu", null, HttpStatusCode.BadRequest)]
    [InlineData("\"region\":\"us-west1\"", null, null, HttpStatusCode.BadRequest)]
    [InlineData("\"region\":null", null, null, HttpStatusCode.OK)]
    [InlineData("\"query\":\"x\"", null, null, HttpStatusCode.OK)]
    [InlineData("\"count\":42", null, "42.0", HttpStatusCode.OK)]
    [InlineData("\"count\":42", null, "43", HttpStatusCode.BadRequest)]
    [InlineData("\"region\":\"Hello\"", "=?base64?SGVsbG8=?=", null, HttpStatusCode.OK)]
    [InlineData("\"region\":\"Hello\"", "=?base64?SGVsbG8?=", null, HttpStatusCode.BadRequest)]
    public async Task R17_R18_R19_Mcp_Param_headers_mirror_annotated_arguments(string arguments, string? region, string? count, HttpStatusCode status)
    {
        using var response = await PostModernAsync(Body("tools/call", "\"name\":\"region\",\"arguments\":{" + arguments + "}"), configure: request =>
        {
            if (region is not null)
            {
                request.Headers.TryAddWithoutValidation("Mcp-Param-Region", region);
            }

            if (count is not null)
            {
                request.Headers.TryAddWithoutValidation("mcp-param-count", count);
            }
        });
        Assert.Equal(status, response.StatusCode);
        if (status == HttpStatusCode.BadRequest)
        {
            await AssertErrorAsync(response, status, McpErrorCodes.HeaderMismatch);
        }
    }

    [Fact]
    public async Task R20_Header_names_compare_case_insensitively_and_values_are_trimmed()
    {
        using var response = await PostModernAsync(Body("tools/call", "\"name\":\"echo\""), method: "", name: "", configure: request =>
        {
            request.Headers.TryAddWithoutValidation("mcp-method", "  tools/call ");
            request.Headers.TryAddWithoutValidation("MCP-NAME", "\techo  ");
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        using var caseMatters = await PostModernAsync(Body("tools/list"), method: "TOOLS/LIST");
        await AssertErrorAsync(caseMatters, HttpStatusCode.BadRequest, McpErrorCodes.HeaderMismatch);
    }

    [Theory]
    [InlineData("initialize")]
    [InlineData("ping")]
    [InlineData("logging/setLevel")]
    [InlineData("resources/subscribe")]
    [InlineData("resources/unsubscribe")]
    [InlineData("foo/bar")]
    public async Task R21_R22_R23_Removed_and_unknown_methods_are_404_and_32601(string method)
    {
        using var response = await PostModernAsync(Body(method, "\"uri\":\"test://café/ü\",\"level\":\"info\",\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"x\",\"version\":\"1\"}", id: 500));
        await AssertErrorAsync(response, HttpStatusCode.NotFound, McpErrorCodes.MethodNotFound, 500);
        Assert.False(response.Headers.Contains("MCP-Session-Id"));
    }

    [Fact]
    public async Task R24_An_input_the_client_did_not_declare_is_400_and_32021_with_required_capabilities()
    {
        using var response = await PostModernAsync(Body("tools/call", "\"name\":\"needs_sampling\"", id: 401));
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, McpErrorCodes.MissingRequiredClientCapability, 401);
        var again = await PostModernAsync(Body("tools/call", "\"name\":\"needs_sampling\"", id: 401));
        Assert.Equal("""{"sampling":{}}""", (await SingleAsync(again)).GetProperty("error").GetProperty("data").GetProperty("requiredCapabilities").GetRawText());
    }

    [Fact]
    public async Task R25_R26_An_elicitation_is_an_input_required_round_and_the_retry_completes_or_is_refused()
    {
        string caps = """{"elicitation":{}}""";
        using var first = await PostModernAsync(Body("tools/call", "\"name\":\"ask\"", Meta(caps)));
        var round = (await SingleAsync(first)).GetProperty("result");
        Assert.Equal("input_required", round.GetProperty("resultType").GetString());
        Assert.Equal("elicitation/create", round.GetProperty("inputRequests").GetProperty("user_name").GetProperty("method").GetString());
        string state = round.GetProperty("requestState").GetString()!;

        string answers = "\"inputResponses\":{\"user_name\":{\"action\":\"accept\",\"content\":{\"name\":\"Ada\"}}}";
        using (var retry = await PostModernAsync(Body("tools/call", "\"name\":\"ask\"," + answers + ",\"requestState\":" + JsonSerializer.Serialize(state), Meta(caps), id: 2)))
        {
            var done = (await SingleAsync(retry)).GetProperty("result");
            Assert.Equal(("complete", "Hello, Ada"), (done.GetProperty("resultType").GetString(), done.GetProperty("content")[0].GetProperty("text").GetString()));
        }

        using (var tampered = await PostModernAsync(Body("tools/call", "\"name\":\"ask\"," + answers + ",\"requestState\":\"" + state + "-TAMPERED\"", Meta(caps), id: 3)))
        {
            Assert.Equal(McpErrorCodes.InvalidParams, (await SingleAsync(tampered)).GetProperty("error").GetProperty("code").GetInt32());
        }

        using var missing = await PostModernAsync(Body("tools/call", "\"name\":\"ask\",\"inputResponses\":{\"other\":{\"action\":\"decline\"}}", Meta(caps), id: 4));
        Assert.Equal("input_required", (await SingleAsync(missing)).GetProperty("result").GetProperty("resultType").GetString());
    }

    [Fact]
    public async Task R27_Requests_other_than_call_get_read_never_get_input_required()
    {
        using var response = await PostModernAsync(Body("tools/list", "\"inputResponses\":{\"x\":{\"action\":\"decline\"}},\"requestState\":\"junk\""));
        Assert.Equal("complete", (await SingleAsync(response)).GetProperty("result").GetProperty("resultType").GetString());
    }

    [Fact]
    public async Task R28_Listen_streams_the_acknowledgement_then_tagged_opted_in_changes_and_never_log_messages()
    {
        using var response = await PostModernAsync(Body("subscriptions/listen", "\"notifications\":{\"toolsListChanged\":true}", id: "s1"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        await using var events = ReadEventsAsync(response).GetAsyncEnumerator();

        Assert.True(await events.MoveNextAsync());
        var ack = Parse(events.Current.Data);
        Assert.Equal("notifications/subscriptions/acknowledged", ack.GetProperty("method").GetString());
        Assert.Equal("s1", ack.GetProperty("params").GetProperty("_meta").GetProperty("io.modelcontextprotocol/subscriptionId").GetString());
        Assert.Equal("""{"toolsListChanged":true}""", ack.GetProperty("params").GetProperty("notifications").GetRawText());

        // Something else happens on the server: prompts change (not requested), a tool call logs; then tools change.
        _server.Server.NotifyPromptsListChanged();
        using (await PostModernAsync(Body("tools/call", "\"name\":\"chatty\"", Meta(logLevel: "debug"))))
        {
        }

        _server.Server.NotifyToolsListChanged();
        Assert.True(await events.MoveNextAsync());
        var changed = Parse(events.Current.Data);
        Assert.Equal("notifications/tools/list_changed", changed.GetProperty("method").GetString());
        Assert.Equal("s1", changed.GetProperty("params").GetProperty("_meta").GetProperty("io.modelcontextprotocol/subscriptionId").GetString());
    }

    [Fact]
    public async Task R29_Log_messages_only_with_a_log_level_and_progress_streams_before_the_result()
    {
        using (var silent = await PostModernAsync(Body("tools/call", "\"name\":\"chatty\"")))
        {
            Assert.DoesNotContain(await ReadMessagesAsync(silent), m => m.TryGetProperty("method", out var method) && method.GetString() == "notifications/message");
        }

        using (var logged = await PostModernAsync(Body("tools/call", "\"name\":\"chatty\"", Meta(logLevel: "info"))))
        {
            Assert.Equal("text/event-stream", logged.Content.Headers.ContentType!.MediaType);
            var messages = await ReadMessagesAsync(logged);
            Assert.Equal(["notifications/message", "response"], messages.Select(m => m.TryGetProperty("method", out var x) ? x.GetString() : "response"));
        }

        using (var progress = await PostModernAsync(Body("tools/call", "\"name\":\"chatty\"", "{\"progressToken\":\"p1\"," + Meta()[1..])))
        {
            var messages = await ReadMessagesAsync(progress);
            Assert.Equal(["notifications/progress", "notifications/progress", "response"], messages.Select(m => m.TryGetProperty("method", out var x) ? x.GetString() : "response"));
        }

        using var invalid = await PostModernAsync(Body("tools/call", "\"name\":\"chatty\"", Meta(logLevel: "loud")));
        await AssertErrorAsync(invalid, HttpStatusCode.BadRequest, McpErrorCodes.InvalidParams);
    }

    [Fact]
    public async Task R30_A_client_that_disconnects_cancels_its_request()
    {
        using var cut = new CancellationTokenSource();
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, _server.Endpoint) { Content = new StringContent(Body("tools/call", "\"name\":\"slow\"", id: 30), Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
        request.Headers.TryAddWithoutValidation("Accept", "application/json, text/event-stream");
        request.Headers.TryAddWithoutValidation("MCP-Protocol-Version", "2026-07-28");
        request.Headers.TryAddWithoutValidation("Mcp-Method", "tools/call");
        request.Headers.TryAddWithoutValidation("Mcp-Name", "slow");
        var call = client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cut.Token);
        await _slowStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // M26-CANCEL-HTTP: closing the connection is the cancellation; the handler's token fires.
        await cut.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.True(await _slowCancelled.Task.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task R31_Session_id_and_last_event_id_are_ignored_and_never_echoed()
    {
        using var response = await PostModernAsync(Body("tools/list"), configure: request =>
        {
            request.Headers.TryAddWithoutValidation("Mcp-Session-Id", "abc");
            request.Headers.TryAddWithoutValidation("Last-Event-ID", "5");
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("MCP-Session-Id"));
    }

    [Theory]
    [InlineData("GET", null)]
    [InlineData("DELETE", null)]
    [InlineData("DELETE", "abc")]
    public async Task R32_R33_Get_and_delete_of_a_2026_client_are_405_allow_post(string method, string? sessionId)
    {
        using var response = await _server.SendAsync(new HttpMethod(method), sessionId, "2026-07-28");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("POST", response.Content.Headers.Allow.Single());
    }

    [Fact]
    public async Task R34_A_missing_resource_is_32602_in_band_never_32002()
    {
        using var response = await PostModernAsync(Body("resources/read", "\"uri\":\"test://nowhere\""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var error = (await SingleAsync(response)).GetProperty("error");
        Assert.Equal((McpErrorCodes.InvalidParams, "test://nowhere"), (error.GetProperty("code").GetInt32(), error.GetProperty("data").GetProperty("uri").GetString()));
    }

    [Fact]
    public async Task R35_A_batch_with_a_2026_message_is_400_and_32600()
    {
        using var response = await PostModernAsync("[" + Body("tools/list") + "," + Body("tools/list", id: 2) + "]", method: "tools/list", name: "");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(McpErrorCodes.InvalidRequest, (await SingleAsync(response)).GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task R36_A_foreign_origin_is_403()
    {
        using var response = await PostModernAsync(Body("tools/list"), configure: request => request.Headers.TryAddWithoutValidation("Origin", "https://evil.example"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task R37_A_notification_is_202_with_no_body()
    {
        using var response = await PostModernAsync("""{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":9,"_meta":""" + Meta() + "}}", method: "notifications/cancelled");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task R38_R39_Accept_without_both_types_is_406_and_a_non_json_body_is_415()
    {
        using (var accept = await _server.PostAsync(Body("tools/list"), protocolVersion: "2026-07-28", accept: "application/json", configure: r => r.Headers.TryAddWithoutValidation("Mcp-Method", "tools/list")))
        {
            Assert.Equal(HttpStatusCode.NotAcceptable, accept.StatusCode);
        }

        using var type = await _server.PostAsync(Body("tools/list"), protocolVersion: "2026-07-28", contentType: "text/plain", configure: r => r.Headers.TryAddWithoutValidation("Mcp-Method", "tools/list"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, type.StatusCode);
    }

    [Fact]
    public async Task R40_A_2025_initialize_without_header_or_meta_still_gets_a_session()
    {
        string sessionId = await _server.InitializeAsync();
        Assert.False(string.IsNullOrEmpty(sessionId));
        Assert.Single(_server.Server.Sessions);
    }

    [Fact]
    public async Task E1_In_stateful_mode_a_2026_request_gets_32022_naming_the_handshake_versions_even_with_a_session_id()
    {
        await using var stateful = await TestServer.StartAsync(http => http.SessionMode = McpSessionMode.Stateful);
        string sessionId = await stateful.InitializeAsync();
        using var response = await stateful.PostAsync(Body("tools/list"), sessionId, "2026-07-28", configure: r => r.Headers.TryAddWithoutValidation("Mcp-Method", "tools/list"));
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, McpErrorCodes.UnsupportedProtocolVersion);
        var supported = (await SingleAsync(await stateful.PostAsync(Body("tools/list"), sessionId, "2026-07-28", configure: r => r.Headers.TryAddWithoutValidation("Mcp-Method", "tools/list"))))
            .GetProperty("error").GetProperty("data").GetProperty("supported").EnumerateArray().Select(v => v.GetString()!).ToArray();
        Assert.Equal(ProtocolVersions.Handshake, supported);
    }

    [Fact]
    public async Task E2_A_2025_client_that_sends_server_discover_gets_32601_in_band_in_its_session_and_400_without_one()
    {
        string sessionId = await _server.InitializeAsync();
        using (var inSession = await _server.PostAsync("""{"jsonrpc":"2.0","id":7,"method":"server/discover"}""", sessionId))
        {
            Assert.Equal(HttpStatusCode.OK, inSession.StatusCode);
            Assert.Equal(McpErrorCodes.MethodNotFound, (await SingleAsync(inSession)).GetProperty("error").GetProperty("code").GetInt32());
        }

        using var noSession = await _server.PostAsync("""{"jsonrpc":"2.0","id":7,"method":"server/discover"}""");
        Assert.Equal(HttpStatusCode.BadRequest, noSession.StatusCode);
    }

    [Fact]
    public async Task E3_An_envelope_that_claims_a_2025_version_is_400_and_32022_supported_2026()
    {
        using var response = await PostModernAsync(Body("tools/list", meta: Meta(version: "2025-11-25")), version: "2025-11-25");
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, McpErrorCodes.UnsupportedProtocolVersion);
    }

    [Fact]
    public async Task E4_Initialize_under_a_2026_header_without_an_envelope_is_400_and_32020()
    {
        using var response = await _server.PostAsync(Init, protocolVersion: "2026-07-28");
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, McpErrorCodes.HeaderMismatch);
        Assert.Empty(_server.Server.Sessions);
    }

    [Fact]
    public async Task E5_A_notification_under_a_2026_header_without_an_envelope_is_accepted()
    {
        using var response = await _server.PostAsync("""{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":1}}""", protocolVersion: "2026-07-28");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task Both_eras_interleave_on_one_endpoint_each_with_its_own_rules()
    {
        // A 2025 session, its requests, and 2026 requests in between.
        string sessionId = await _server.InitializeAsync();
        using (var modern = await PostModernAsync(Body("tools/call", "\"name\":\"echo\",\"arguments\":{\"text\":\"2026\"}"), configure: r => r.Headers.TryAddWithoutValidation("Mcp-Session-Id", sessionId)))
        {
            Assert.Equal("complete", (await SingleAsync(modern)).GetProperty("result").GetProperty("resultType").GetString());
        }

        using (var legacy = await _server.PostAsync("""{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{"text":"2025"}}}""", sessionId))
        {
            var result = (await SingleAsync(legacy)).GetProperty("result");
            Assert.False(result.TryGetProperty("resultType", out _));
            Assert.Equal("echo:2025", result.GetProperty("content")[0].GetProperty("text").GetString());
        }

        // The session rules are untouched: unknown session 404, DELETE 200 then 404, missing id 400.
        using (var unknown = await _server.PostAsync(List, "no-such-session"))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }

        using (var missing = await _server.PostAsync(List))
        {
            Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        }

        using (var delete = await _server.SendAsync(HttpMethod.Delete, sessionId))
        {
            Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        }

        using (var again = await _server.SendAsync(HttpMethod.Delete, sessionId))
        {
            Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        }

        // And 2026 requests go on, whatever happened to the session.
        using var after = await PostModernAsync(Body("tools/list"), configure: r => r.Headers.TryAddWithoutValidation("Mcp-Session-Id", sessionId));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }
}

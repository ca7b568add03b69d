using System.Text.Json;
using McpSharp.Protocol;
using McpSharp.Server;
using McpSharp.Tests.TestSupport;

namespace McpSharp.Tests.Server;

/// <summary>
/// Revision 2026-07-28 in the server core, over an in-memory connection (the stdio shape: one connection, era pinned by
/// the first request that decides): per-request <c>_meta</c>, <c>server/discover</c>, shaped results, removed methods,
/// per-request logging, and the era rules of a connection.
/// </summary>
public sealed class PerRequestServerTests
{
    internal static string Meta(string capabilities = "{}", string? logLevel = null, string version = "2026-07-28", bool clientInfo = true) =>
        $$"""{"io.modelcontextprotocol/protocolVersion":"{{version}}","io.modelcontextprotocol/clientCapabilities":{{capabilities}}{{(clientInfo ? ""","io.modelcontextprotocol/clientInfo":{"name":"modern","version":"1"}""" : "")}}{{(logLevel is null ? "" : $$""","io.modelcontextprotocol/logLevel":"{{logLevel}}" """)}}}""";

    internal static string Params(string members = "", string capabilities = "{}", string? logLevel = null) =>
        "{" + members + (members.Length > 0 ? "," : "") + "\"_meta\":" + Meta(capabilities, logLevel) + "}";

    private static McpServer CreateServer()
    {
        var server = new McpServer(new McpServerOptions { ServerInfo = new Implementation { Name = "per-request", Version = "2.0" }, Instructions = "Be brief." });
        server.Tools.Add(new Tool { Name = "echo", InputSchema = TestPeer.Json("""{"type":"object"}""") }, static ctx => ValueTask.FromResult(CallToolResult.FromText("echo")));
        server.Tools.Add(new Tool { Name = "logs", InputSchema = TestPeer.Json("""{"type":"object"}""") }, static async ctx =>
        {
            await ctx.LogAsync(LoggingLevel.Debug, "debug line");
            await ctx.LogAsync(LoggingLevel.Warning, "warning line");
            return CallToolResult.FromText($"{ctx.Client.ProtocolVersion}/{ctx.Client.ClientInfo?.Name}");
        });
        server.Resources.Add(new Resource { Uri = "test://r", Name = "r" }, static ctx => ValueTask.FromResult(new ReadResourceResult { Contents = [new TextResourceContents { Uri = "test://r", Text = "r" }] }));
        return server;
    }

    [Fact]
    public async Task Server_discover_answers_versions_capabilities_instructions_server_info_and_cache_hints_M26_DISCOVER_REQUIRED()
    {
        await using var peer = new TestPeer(CreateServer());
        var result = await peer.RequestAsync("server/discover", Params());

        Assert.Equal("complete", result.GetProperty("resultType").GetString());
        Assert.Equal(["2026-07-28"], result.GetProperty("supportedVersions").EnumerateArray().Select(v => v.GetString()));
        Assert.True(result.GetProperty("capabilities").GetProperty("tools").GetProperty("listChanged").GetBoolean());
        Assert.Equal(JsonValueKind.Object, result.GetProperty("capabilities").GetProperty("logging").ValueKind);
        Assert.Equal("Be brief.", result.GetProperty("instructions").GetString());
        Assert.Equal("per-request", result.GetProperty("_meta").GetProperty("io.modelcontextprotocol/serverInfo").GetProperty("name").GetString());
        Assert.Equal(0, result.GetProperty("ttlMs").GetInt64());
        Assert.Equal("private", result.GetProperty("cacheScope").GetString());
    }

    [Fact]
    public async Task Results_carry_result_type_and_server_info_and_cacheable_ones_carry_cache_hints_M26_CACHE_HINTS()
    {
        await using var peer = new TestPeer(CreateServer());
        var list = await peer.RequestAsync("tools/list", Params());
        Assert.Equal(("complete", 0, "private"), (list.GetProperty("resultType").GetString(), list.GetProperty("ttlMs").GetInt32(), list.GetProperty("cacheScope").GetString()));
        Assert.Equal(2, list.GetProperty("tools").GetArrayLength());

        var call = await peer.RequestAsync("tools/call", Params("\"name\":\"echo\""));
        Assert.Equal("complete", call.GetProperty("resultType").GetString());
        Assert.False(call.TryGetProperty("ttlMs", out _));
        Assert.Equal("2.0", call.GetProperty("_meta").GetProperty("io.modelcontextprotocol/serverInfo").GetProperty("version").GetString());

        var read = await peer.RequestAsync("resources/read", Params("\"uri\":\"test://r\""));
        Assert.True(read.TryGetProperty("ttlMs", out _));
    }

    [Fact]
    public async Task A_2025_session_never_sees_the_2026_keys_M26_RESULT_TYPE_LEGACY_WIRE()
    {
        await using var peer = new TestPeer(CreateServer());
        await peer.InitializeAsync();
        foreach (var result in new[] { await peer.RequestAsync("tools/list"), await peer.RequestAsync("tools/call", """{"name":"echo"}""") })
        {
            Assert.False(result.TryGetProperty("resultType", out _));
            Assert.False(result.TryGetProperty("ttlMs", out _));
            Assert.False(result.TryGetProperty("cacheScope", out _));
            Assert.False(result.TryGetProperty("_meta", out _));
        }
    }

    [Theory]
    [InlineData("""{"name":"echo"}""", "must carry its _meta")]
    [InlineData("""{"name":"echo","_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}""", "clientCapabilities")]
    [InlineData("""{"name":"echo","_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":[]}}""", "must be an object")]
    [InlineData("""{"name":"echo","_meta":{"io.modelcontextprotocol/protocolVersion":7,"io.modelcontextprotocol/clientCapabilities":{}}}""", "must be a string")]
    [InlineData("""{"name":"echo","_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{},"io.modelcontextprotocol/logLevel":"loud"}}""", "malformed")]
    public async Task A_malformed_envelope_is_32602_M26_META_PROTOCOLVERSION_M26_META_CLIENTCAPS(string parameters, string why)
    {
        await using var peer = new TestPeer(CreateServer());

        // The connection is pinned to 2026-07-28 first, so a request without _meta is not taken for a 2025 one.
        await peer.RequestAsync("tools/list", Params());
        var error = await peer.RequestErrorAsync("tools/call", parameters);
        Assert.Equal(McpErrorCodes.InvalidParams, error.ErrorCode);
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2099-01-01")]
    [InlineData("2025-11-25")]
    public async Task A_version_not_served_per_request_is_32022_with_supported_and_requested_M26_VERSION_UNSUPPORTED(string version)
    {
        await using var peer = new TestPeer(CreateServer());
        var error = await peer.RequestErrorAsync("server/discover", $$"""{"_meta":{{Meta(version: version)}}}""");
        Assert.Equal(McpErrorCodes.UnsupportedProtocolVersion, error.ErrorCode);
        var data = error.ErrorData!.Value;
        Assert.Equal(version, data.GetProperty("requested").GetString());
        Assert.Equal(["2026-07-28"], data.GetProperty("supported").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public async Task Client_info_is_optional_M26_META_CLIENTINFO()
    {
        await using var peer = new TestPeer(CreateServer());
        var result = await peer.RequestAsync("server/discover", $$"""{"_meta":{{Meta(clientInfo: false)}}}""");
        Assert.Equal("complete", result.GetProperty("resultType").GetString());
    }

    [Theory]
    [InlineData("initialize")]
    [InlineData("ping")]
    [InlineData("logging/setLevel")]
    [InlineData("resources/subscribe")]
    [InlineData("resources/unsubscribe")]
    [InlineData("nothing/here")]
    public async Task Removed_and_unknown_methods_are_32601_M26_HTTP_404(string method)
    {
        await using var peer = new TestPeer(CreateServer());
        await peer.RequestAsync("server/discover", Params());
        await peer.RequestAsync("tools/list", Params());
        // Even initialize: it carries a 2026 _meta, so it is a 2026 request for a method that revision does not have.
        var error = await peer.RequestErrorAsync(method, Params("\"uri\":\"test://r\",\"level\":\"info\""));
        Assert.Equal(McpErrorCodes.MethodNotFound, error.ErrorCode);
    }

    [Fact]
    public async Task Without_a_log_level_a_request_gets_no_log_messages_and_with_one_only_those_at_or_above_it_M26_META_LOGLEVEL()
    {
        await using var peer = new TestPeer(CreateServer());
        Assert.Equal("2026-07-28/modern", (await peer.RequestAsync("tools/call", Params("\"name\":\"logs\""))).GetProperty("content")[0].GetProperty("text").GetString());
        Assert.False(peer.Notifications.Reader.TryRead(out _));

        await peer.RequestAsync("tools/call", Params("\"name\":\"logs\"", logLevel: "info"));
        var log = await peer.NextNotificationAsync("notifications/message");
        Assert.Equal("warning line", log.Params.Deserialize(McpJsonContext.Default.LoggingMessageNotificationParams)!.Data.GetString());
        Assert.False(peer.Notifications.Reader.TryRead(out _));
    }

    [Fact]
    public async Task A_missing_resource_is_32602_with_the_uri_never_32002_M26_RESOURCE_NOT_FOUND()
    {
        await using var peer = new TestPeer(CreateServer());
        var error = await peer.RequestErrorAsync("resources/read", Params("\"uri\":\"test://missing\""));
        Assert.Equal(McpErrorCodes.InvalidParams, error.ErrorCode);
        Assert.Equal("test://missing", error.ErrorData!.Value.GetProperty("uri").GetString());
    }

    [Fact]
    public async Task A_discover_probe_does_not_pin_the_connection_so_a_2025_client_can_still_initialize_M26_STDIO_PROBE()
    {
        await using var peer = new TestPeer(CreateServer());
        await peer.RequestAsync("server/discover", Params());
        Assert.Equal("2025-11-25", (await peer.InitializeAsync()).ProtocolVersion);

        // Pinned to the handshake era: a request that carries _meta is served by the 2025 rules (no 2026 keys).
        var list = await peer.RequestAsync("tools/list", Params());
        Assert.False(list.TryGetProperty("resultType", out _));
        Assert.Equal(JsonValueKind.Object, (await peer.RequestAsync("ping")).ValueKind);
    }

    [Fact]
    public async Task A_connection_pinned_to_2026_refuses_initialize_with_32022_naming_its_versions_M26_INIT_ERROR_NAMES_VERSIONS()
    {
        await using var peer = new TestPeer(CreateServer());
        await peer.RequestAsync("tools/list", Params());
        var error = await peer.RequestErrorAsync("initialize", """{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"late","version":"1"}}""");
        Assert.Equal(McpErrorCodes.UnsupportedProtocolVersion, error.ErrorCode);
        Assert.Contains("2026-07-28", error.Message, StringComparison.Ordinal);

        var untagged = await peer.RequestErrorAsync("tools/list");
        Assert.Equal(McpErrorCodes.InvalidParams, untagged.ErrorCode);
    }
}

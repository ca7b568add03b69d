using System.Net;
using System.Text;
using System.Text.Json;
using McpSharp.AspNetCore.Http;
using McpSharp.AspNetCore.Tests.TestSupport;
using McpSharp.Protocol;
using Microsoft.AspNetCore.Http;
using static McpSharp.AspNetCore.Tests.TestSupport.TestServer;

namespace McpSharp.AspNetCore.Tests;

/// <summary>
/// The endpoint's steps, each on its own (ARCHITECTURE "one decision per step"): a step either passes or writes the one
/// answer the spec asks for.
/// </summary>
public sealed class PipelineStepTests
{
    private static DefaultHttpContext Context(string method, string? accept = null, string? contentType = null, string? body = null)
    {
        var http = new DefaultHttpContext();
        http.Request.Method = method;
        if (accept is not null)
        {
            http.Request.Headers.Accept = accept;
        }

        if (contentType is not null)
        {
            http.Request.ContentType = contentType;
        }

        if (body is not null)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(body);
            http.Request.Body = new MemoryStream(bytes);
            http.Request.ContentLength = bytes.Length;
        }

        http.Response.Body = new MemoryStream();
        return http;
    }

    private static JsonElement ResponseJson(HttpContext http)
    {
        http.Response.Body.Position = 0;
        return JsonDocument.Parse(http.Response.Body).RootElement.Clone();
    }

    [Theory]
    [InlineData("POST", false, true)]
    [InlineData("GET", false, true)]
    [InlineData("DELETE", false, true)]
    [InlineData("PUT", false, false)]
    [InlineData("POST", true, true)]
    [InlineData("GET", true, false)]
    [InlineData("DELETE", true, false)]
    public void The_method_gate_knows_which_methods_each_mode_serves(string method, bool stateless, bool allowed) =>
        Assert.Equal(allowed, MethodGate.Allows(Context(method).Request, new McpHttpOptions { SessionMode = stateless ? McpSessionMode.Stateless : McpSessionMode.Hybrid }));

    [Theory]
    [InlineData(false, "GET, POST, DELETE")]
    [InlineData(true, "POST")]
    public async Task The_method_gate_answers_405_with_the_allow_of_its_mode(bool stateless, string allow)
    {
        var http = Context("PATCH");
        await MethodGate.RejectAsync(http, new McpHttpOptions { SessionMode = stateless ? McpSessionMode.Stateless : McpSessionMode.Hybrid });
        Assert.Equal(405, http.Response.StatusCode);
        Assert.Equal(allow, http.Response.Headers.Allow.ToString());
    }

    [Theory]
    [InlineData("application/json", "application/json", 406)]
    [InlineData("application/json, text/event-stream", "text/plain", 415)]
    [InlineData("*/*", "application/json; charset=utf-8", 0)]
    public async Task Content_negotiation_of_a_post_is_406_then_415(string accept, string contentType, int status)
    {
        var http = Context("POST", accept, contentType);
        bool passed = await ContentNegotiation.CheckPostAsync(http);
        Assert.Equal(status == 0, passed);
        if (status != 0)
        {
            Assert.Equal(status, http.Response.StatusCode);
        }
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("2025-06-18", true)]
    [InlineData("2099-01-01", false)]
    [InlineData("garbage", false)]
    public void The_protocol_version_gate_accepts_absent_or_supported_versions(string? header, bool allowed)
    {
        var http = Context("POST");
        if (header is not null)
        {
            http.Request.Headers[McpSharp.Transports.Http.McpHttpHeaders.ProtocolVersion] = header;
        }

        Assert.Equal(allowed, ProtocolVersionGate.Allows(http.Request, out _));
    }

    [Fact]
    public async Task The_body_reader_reports_413_then_parse_and_shape_errors_with_the_request_id()
    {
        Assert.Equal(413, (await JsonRpcBodyReader.ReadAsync(Context("POST", body: new string(' ', 100)), 10)).Status);

        var invalid = await JsonRpcBodyReader.ReadAsync(Context("POST", body: "{"), 1000);
        Assert.Equal((400, McpErrorCodes.ParseError), (invalid.Status, invalid.Error!.Code));

        var noMethod = await JsonRpcBodyReader.ReadAsync(Context("POST", body: """{"jsonrpc":"2.0","id":7,"params":{}}"""), 1000);
        Assert.Equal((400, McpErrorCodes.InvalidRequest, new RequestId(7)), (noMethod.Status, noMethod.Error!.Code, noMethod.ErrorId!.Value));
    }

    [Fact]
    public async Task The_one_writer_of_the_404_echoes_the_request_id()
    {
        var http = Context("POST");
        await McpSharp.AspNetCore.Sessions.SessionResolver.NotFoundAsync(http, new RequestId("r1"));
        Assert.Equal(404, http.Response.StatusCode);
        var body = ResponseJson(http);
        Assert.Equal((McpErrorCodes.SessionNotFound, "Session not found", "r1"), (body.GetProperty("error").GetProperty("code").GetInt32(), body.GetProperty("error").GetProperty("message").GetString(), body.GetProperty("id").GetString()));
    }

    [Fact]
    public void The_batch_rule_allows_only_2025_03_26_and_never_initialize()
    {
        var ping = new McpSharp.JsonRpc.JsonRpcRequest(new RequestId(1), McpMethods.Ping, default);
        var initialize = new McpSharp.JsonRpc.JsonRpcRequest(new RequestId(2), McpMethods.Initialize, default);
        Assert.Null(BatchRule.Check("2025-03-26", [ping]));
        Assert.Equal(McpErrorCodes.InvalidRequest, BatchRule.Check("2025-11-25", [ping])!.Code);
        Assert.Equal(McpErrorCodes.InvalidRequest, BatchRule.Check(null, [ping])!.Code);
        Assert.Contains("initialize", BatchRule.Check("2025-03-26", [ping, initialize])!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("GET")]
    [InlineData("DELETE")]
    public async Task The_session_is_resolved_before_the_version_is_checked_on_every_method(string method)
    {
        // Steps 7 then 8, in the same order for POST, GET and DELETE: an unknown session with an unsupported version is 404.
        await using var server = await TestServer.StartAsync();
        using var response = method == "POST"
            ? await server.PostAsync(List, "unknown-session", "2099-01-01")
            : await server.SendAsync(new HttpMethod(method), "unknown-session", "2099-01-01");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}

using System.Net;
using McpSharp.AspNetCore.Tests.TestSupport;
using static McpSharp.AspNetCore.Tests.TestSupport.TestServer;

namespace McpSharp.AspNetCore.Tests;

/// <summary>Headers and bodies: checklist section 3, T19-T22, T25-T31, T33, and the body limit.</summary>
public sealed class HeaderTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(http => http.MaxRequestBodySize = 64 * 1024);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, int code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, (await ErrorAsync(response)).GetProperty("error").GetProperty("code").GetInt32());
    }

    [Theory]
    [InlineData("1999-01-01")]
    [InlineData("abc")]
    [InlineData("2024-10-07")]
    public async Task T19_T20_Unsupported_or_garbage_protocol_version_is_400_on_every_method(string version)
    {
        string sid = await _server.InitializeAsync();
        using (var post = await _server.PostAsync(List, sid, protocolVersion: version))
        {
            await AssertErrorAsync(post, HttpStatusCode.BadRequest, -32000);
        }

        using (var get = await _server.SendAsync(HttpMethod.Get, sid, protocolVersion: version))
        {
            Assert.Equal(HttpStatusCode.BadRequest, get.StatusCode);
        }

        using (var delete = await _server.SendAsync(HttpMethod.Delete, sid, protocolVersion: version, accept: null))
        {
            Assert.Equal(HttpStatusCode.BadRequest, delete.StatusCode);
        }

        // The session was not deleted by the rejected DELETE.
        using var after = await _server.PostAsync(List, sid);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task T21_Missing_protocol_version_uses_the_negotiated_one()
    {
        string sid = await _server.InitializeAsync();
        using var response = await _server.PostAsync(List, sid, protocolVersion: null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_different_but_supported_version_mid_session_is_accepted()
    {
        // The official conformance suite sends 2025-03-26 inside a 2025-11-25 session.
        string sid = await _server.InitializeAsync();
        using var response = await _server.PostAsync(List, sid, protocolVersion: "2025-03-26");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task T22_Unsupported_protocol_version_header_on_initialize_is_400_and_creates_nothing()
    {
        using var response = await _server.PostAsync(Init, protocolVersion: "1999-01-01");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, _server.Sessions.Count);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("text/event-stream")]
    [InlineData("text/html")]
    public async Task T25_Post_accept_without_both_types_is_406(string accept)
    {
        string sid = await _server.InitializeAsync();
        using var response = await _server.PostAsync(List, sid, accept: accept);
        await AssertErrorAsync(response, HttpStatusCode.NotAcceptable, -32000);
    }

    [Fact]
    public async Task Post_accept_with_wildcards_or_parameters_is_accepted()
    {
        string sid = await _server.InitializeAsync();
        using var response = await _server.PostAsync(List, sid, accept: "application/json;q=0.9, text/event-stream;q=1");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var wildcard = await _server.PostAsync(List, sid, accept: "*/*");
        Assert.Equal(HttpStatusCode.OK, wildcard.StatusCode);
    }

    [Fact]
    public async Task T26_Get_accept_without_event_stream_is_406()
    {
        string sid = await _server.InitializeAsync();
        using var response = await _server.SendAsync(HttpMethod.Get, sid, accept: "application/json");
        await AssertErrorAsync(response, HttpStatusCode.NotAcceptable, -32000);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task T27_Content_type_not_json_is_415(string contentType)
    {
        string sid = await _server.InitializeAsync();
        using var response = await _server.PostAsync(List, sid, contentType: contentType);
        await AssertErrorAsync(response, HttpStatusCode.UnsupportedMediaType, -32000);
    }

    [Fact]
    public async Task Content_type_json_with_charset_is_accepted()
    {
        string sid = await _server.InitializeAsync();
        using var response = await _server.PostAsync(List, sid, contentType: "application/json; charset=utf-8");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task T28_Malformed_json_is_400_parse_error()
    {
        string sid = await _server.InitializeAsync();
        using var response = await _server.PostAsync("{not json", sid);
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, -32700);
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":null,"method":"ping"}""")]
    [InlineData("""{"hello":"world"}""")]
    [InlineData("""42""")]
    [InlineData("""{"jsonrpc":"2.0","id":5}""")]
    public async Task T29_Json_that_is_not_a_json_rpc_message_is_400_invalid_request(string body)
    {
        string sid = await _server.InitializeAsync();
        using var response = await _server.PostAsync(body, sid);
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, -32600);
    }

    [Fact]
    public async Task T30_A_batch_is_400_unless_the_session_negotiated_2025_03_26()
    {
        string sid = await _server.InitializeAsync();
        using var response = await _server.PostAsync("""[{"jsonrpc":"2.0","id":2,"method":"tools/list"},{"jsonrpc":"2.0","id":3,"method":"ping"}]""", sid);
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, -32600);
    }

    [Fact]
    public async Task A_batch_is_answered_in_a_2025_03_26_session()
    {
        using var init = await _server.PostAsync(Init.Replace("2025-11-25", "2025-03-26", StringComparison.Ordinal), protocolVersion: null);
        string sid = init.Headers.GetValues("MCP-Session-Id").Single();
        using (await _server.PostAsync(Initialized, sid, protocolVersion: "2025-03-26"))
        {
        }

        using var response = await _server.PostAsync("""[{"jsonrpc":"2.0","id":2,"method":"tools/list"},{"jsonrpc":"2.0","id":3,"method":"ping"},{"jsonrpc":"2.0","method":"notifications/initialized"}]""", sid, protocolVersion: "2025-03-26");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ids = (await ReadMessagesAsync(response)).Select(m => m.GetProperty("id").GetInt32()).Order().ToArray();
        Assert.Equal([2, 3], ids);
    }

    [Fact]
    public async Task T31_A_response_posted_by_the_client_is_accepted_with_202()
    {
        string sid = await _server.InitializeAsync();
        using var response = await _server.PostAsync("""{"jsonrpc":"2.0","id":"srv-1","result":{}}""", sid);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("OPTIONS")]
    public async Task T33_Other_methods_are_405_with_allow(string method)
    {
        using var response = await _server.SendAsync(new HttpMethod(method), null);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("GET, POST, DELETE", string.Join(", ", response.Content.Headers.Allow));
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413()
    {
        string sid = await _server.InitializeAsync();
        string big = """{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"echo","arguments":{"text":"PAD"}}}""".Replace("PAD", new string('x', 70 * 1024), StringComparison.Ordinal);
        using var response = await _server.PostAsync(big, sid);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);

        // A chunked body (no Content-Length) is limited while it streams in.
        using var chunked = await _server.PostAsync(big, sid, configure: r => r.Headers.TransferEncodingChunked = true);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, chunked.StatusCode);
    }

    [Fact]
    public async Task Unknown_method_is_32601_so_a_client_probing_a_newer_method_can_fall_back()
    {
        string sid = await _server.InitializeAsync();
        using var response = await _server.PostAsync("""{"jsonrpc":"2.0","id":7,"method":"server/discover"}""", sid);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var message = (await ReadMessagesAsync(response)).Single();
        Assert.Equal(-32601, message.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(7, message.GetProperty("id").GetInt32());
    }
}

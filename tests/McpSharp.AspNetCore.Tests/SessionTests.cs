using System.Net;
using System.Text.Json;
using McpSharp.AspNetCore.Tests.TestSupport;
using static McpSharp.AspNetCore.Tests.TestSupport.TestServer;

namespace McpSharp.AspNetCore.Tests;

/// <summary>Session management over real HTTP: checklist section 3, T01-T18 and T41.</summary>
public sealed class SessionTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static async Task AssertSessionNotFoundAsync(HttpResponseMessage response, JsonValueKind idKind = JsonValueKind.Null)
    {
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var body = await ErrorAsync(response);
        Assert.Equal("2.0", body.GetProperty("jsonrpc").GetString());
        Assert.Equal(-32001, body.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal("Session not found", body.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(idKind, body.GetProperty("id").ValueKind);
    }

    [Fact]
    public async Task T01_Initialize_issues_a_session_id_on_the_response_carrying_the_result()
    {
        using var response = await _server.PostAsync(Init, protocolVersion: null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(string.IsNullOrEmpty(response.Headers.GetValues("MCP-Session-Id").Single()));
        var result = (await ReadMessagesAsync(response)).Single();
        Assert.Equal(1, result.GetProperty("id").GetInt32());
        Assert.Equal("2025-11-25", result.GetProperty("result").GetProperty("protocolVersion").GetString());
        Assert.Equal("http-test", result.GetProperty("result").GetProperty("serverInfo").GetProperty("name").GetString());
    }

    [Fact]
    public async Task T02_Session_ids_are_visible_ascii_unique_and_128_bit()
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < 200; i++)
        {
            using var response = await _server.PostAsync(Init, protocolVersion: null);
            ids.Add(response.Headers.GetValues("MCP-Session-Id").Single());
        }

        Assert.Equal(200, ids.Count);
        Assert.All(ids, id =>
        {
            Assert.Matches("^[\\x21-\\x7E]+$", id);
            Assert.Equal(16, Convert.FromBase64String(id.Replace('-', '+').Replace('_', '/') + "==").Length);
        });
    }

    [Fact]
    public async Task T03_Initialized_notification_is_accepted_with_202_and_an_empty_body()
    {
        using var init = await _server.PostAsync(Init, protocolVersion: null);
        string sid = init.Headers.GetValues("MCP-Session-Id").Single();
        using var response = await _server.PostAsync(Initialized, sid);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task T04_A_request_in_a_session_is_answered_and_the_session_id_echoed()
    {
        string sid = await _server.InitializeAsync();
        using var response = await _server.PostAsync(List, sid);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(sid, response.Headers.GetValues("MCP-Session-Id").Single());
        var message = (await ReadMessagesAsync(response)).Single();
        Assert.Equal(2, message.GetProperty("id").GetInt32());
        Assert.Equal("echo", message.GetProperty("result").GetProperty("tools")[0].GetProperty("name").GetString());
    }

    [Theory]
    [InlineData(List)]
    [InlineData(Initialized)]
    [InlineData("""{"jsonrpc":"2.0","id":"srv-1","result":{}}""")]
    public async Task T05_T06_A_non_initialize_post_without_session_id_gets_400(string body)
    {
        using var response = await _server.PostAsync(body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(-32000, (await ErrorAsync(response)).GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task T07_Post_with_unknown_session_returns_404_with_the_request_id()
    {
        using var response = await _server.PostAsync(List, "does-not-exist");
        await AssertSessionNotFoundAsync(response, JsonValueKind.Number);
    }

    [Theory]
    [InlineData(Initialized)]
    [InlineData("""{"jsonrpc":"2.0","id":"srv-1","result":{}}""")]
    public async Task Notification_or_response_for_unknown_session_returns_404(string body)
    {
        using var response = await _server.PostAsync(body, "does-not-exist");
        await AssertSessionNotFoundAsync(response);
    }

    [Fact]
    public async Task T08_Get_with_unknown_session_returns_404()
    {
        using var response = await _server.SendAsync(HttpMethod.Get, "does-not-exist");
        await AssertSessionNotFoundAsync(response);
    }

    [Fact]
    public async Task T09_Delete_of_unknown_session_returns_404()
    {
        using var response = await _server.SendAsync(HttpMethod.Delete, "does-not-exist", accept: null);
        await AssertSessionNotFoundAsync(response);
    }

    [Fact]
    public async Task T10_T11_T12_T13_Delete_ends_the_session_and_everything_after_it_is_404()
    {
        string sid = await _server.InitializeAsync();
        using (var delete = await _server.SendAsync(HttpMethod.Delete, sid, accept: null))
        {
            Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        }

        using (var post = await _server.PostAsync(List, sid))
        {
            await AssertSessionNotFoundAsync(post, JsonValueKind.Number);
        }

        using (var get = await _server.SendAsync(HttpMethod.Get, sid))
        {
            await AssertSessionNotFoundAsync(get);
        }

        using (var notification = await _server.PostAsync(Initialized, sid))
        {
            await AssertSessionNotFoundAsync(notification);
        }

        using var again = await _server.SendAsync(HttpMethod.Delete, sid, accept: null);
        await AssertSessionNotFoundAsync(again);
        Assert.Equal(0, _server.Sessions.Count);
    }

    [Fact]
    public async Task Delete_closes_the_sessions_open_streams()
    {
        string sid = await _server.InitializeAsync();
        using var get = await _server.SendAsync(HttpMethod.Get, sid);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        var events = ReadMessageEventsAsync(get).GetAsyncEnumerator();
        var next = events.MoveNextAsync().AsTask();
        using (var delete = await _server.SendAsync(HttpMethod.Delete, sid, accept: null))
        {
            Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        }

        // The GET stream ends (no more events) instead of hanging.
        Assert.False(await next.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Theory]
    [InlineData("DELETE")]
    [InlineData("GET")]
    public async Task T14_T15_Get_or_delete_without_session_id_returns_400(string method)
    {
        using var response = await _server.SendAsync(new HttpMethod(method), null);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task T16_A_session_the_server_terminated_is_404_for_every_method()
    {
        string sid = await _server.InitializeAsync();
        Assert.True(_server.Sessions.TryGet(sid, out var session));
        Assert.True(await _server.Sessions.TryRemoveAsync(session));

        using (var post = await _server.PostAsync(List, sid))
        {
            await AssertSessionNotFoundAsync(post, JsonValueKind.Number);
        }

        using var get = await _server.SendAsync(HttpMethod.Get, sid);
        await AssertSessionNotFoundAsync(get);
    }

    [Fact]
    public async Task T17_Initialize_inside_a_live_session_is_400_invalid_request()
    {
        string sid = await _server.InitializeAsync();
        using var response = await _server.PostAsync(Init, sid);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(-32600, (await ErrorAsync(response)).GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task T18_Initialize_carrying_a_stale_session_id_returns_404()
    {
        using var response = await _server.PostAsync(Init, "stale-session-id", protocolVersion: null);
        await AssertSessionNotFoundAsync(response, JsonValueKind.Number);
        Assert.Equal(0, _server.Sessions.Count);
    }

    [Fact]
    public async Task A_failed_initialize_leaves_no_session_and_no_session_id()
    {
        using var response = await _server.PostAsync("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}""", protocolVersion: null);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.Contains("MCP-Session-Id"));
        Assert.Equal(-32602, (await ErrorAsync(response)).GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(0, _server.Sessions.Count);
    }

    [Fact]
    public async Task Requests_of_concurrent_sessions_never_mix()
    {
        string a = await _server.InitializeAsync();
        string b = await _server.InitializeAsync();
        Assert.NotEqual(a, b);
        var calls = Enumerable.Range(0, 20).Select(async i =>
        {
            string sid = i % 2 == 0 ? a : b;
            using var response = await _server.PostAsync($$$$"""{"jsonrpc":"2.0","id":{{{{i}}}},"method":"tools/call","params":{"name":"echo","arguments":{"text":"{{{{sid}}}}-{{{{i}}}}"}}}""", sid);
            var message = (await ReadMessagesAsync(response)).Single();
            Assert.Equal(i, message.GetProperty("id").GetInt32());
            Assert.Equal($"echo:{sid}-{i}", message.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString());
        });
        await Task.WhenAll(calls);
    }
}

/// <summary>T41: a session bound to its authenticated user.</summary>
public sealed class SessionUserBindingTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(authentication: true);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task T41_Another_user_gets_403_for_a_session_bound_to_its_user()
    {
        string sid = await _server.InitializeAsync(user: "alice");
        using (var own = await _server.PostAsync(List, sid, configure: r => AddUser(r, "alice")))
        {
            Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        }

        using (var other = await _server.PostAsync(List, sid, configure: r => AddUser(r, "mallory")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        }

        using (var anonymous = await _server.PostAsync(List, sid))
        {
            Assert.Equal(HttpStatusCode.Forbidden, anonymous.StatusCode);
        }

        using var delete = await _server.SendAsync(HttpMethod.Delete, sid, accept: null, configure: r => AddUser(r, "mallory"));
        Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
    }
}

using System.Net;
using McpSharp.AspNetCore.Tests.TestSupport;
using McpSharp.Tests.TestSupport;
using static McpSharp.AspNetCore.Tests.TestSupport.TestServer;

namespace McpSharp.Redis.Tests;

/// <summary>
/// Redis goes away under a node and comes back: requests meanwhile get 503 with <c>Retry-After</c> (never a 500, never a
/// hang), and the node serves again once Redis is back, with no restart. This class has its own redis-server.
/// </summary>
public sealed class RedisFaultTests : IDisposable
{
    private readonly RedisServer _redis = new();

    public void Dispose() => _redis.Dispose();

    [Fact]
    public async Task While_Redis_is_down_requests_get_503_with_retry_after_and_the_node_recovers_when_it_returns()
    {
        await using var node = await TestServer.StartAsync(mcp: b => b.WithRedis(_redis.Configuration, o => o.OperationTimeout = TimeSpan.FromSeconds(1)));
        string sid = await node.InitializeAsync();

        _redis.Stop();
        foreach (string body in new[] { List, Init })
        {
            using var refused = await node.PostAsync(body, body == Init ? null : sid, protocolVersion: body == Init ? null : Pv);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.NotNull(refused.Headers.RetryAfter);
        }

        // Back, empty (persistence is off): the old session is gone (404: a client starts over), new ones work.
        _redis.Start();
        await Eventually.WaitUntilAsync(() => SucceedsAsync(node).GetAwaiter().GetResult(), "the node to reach Redis again");
        using var old = await node.PostAsync(List, sid);
        Assert.Equal(HttpStatusCode.NotFound, old.StatusCode);
    }

    [Fact]
    public async Task A_node_started_while_Redis_is_down_answers_503_then_serves_once_Redis_is_up()
    {
        _redis.Stop();
        await using var node = await TestServer.StartAsync(mcp: b => b.WithRedis(_redis.Configuration, o => o.OperationTimeout = TimeSpan.FromSeconds(1)));
        using (var refused = await node.PostAsync(Init, protocolVersion: null))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        }

        _redis.Start();
        await Eventually.WaitUntilAsync(() => SucceedsAsync(node).GetAwaiter().GetResult(), "the node to reach Redis");
        string sid = await node.InitializeAsync();
        using var listed = await node.PostAsync(List, sid);
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
    }

    private static async Task<bool> SucceedsAsync(TestServer node)
    {
        using var response = await node.PostAsync(Init, protocolVersion: null);
        return response.StatusCode == HttpStatusCode.OK;
    }
}

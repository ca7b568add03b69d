using McpSharp.AspNetCore.Tests;
using Microsoft.Extensions.DependencyInjection;
using McpSharp.Protocol;
using StackExchange.Redis;
using static McpSharp.AspNetCore.Tests.TestSupport.TaskRequests;

namespace McpSharp.Redis.Tests;

/// <summary>
/// <see cref="ClusterTaskTests"/> on Redis (the nodes share only a redis-server, through <c>WithRedis</c>), and what
/// only a store outside the nodes can do: a finished task outlives the node that ran it, and a task whose node stopped
/// or died is failed on every node, not working for ever.
/// </summary>
public sealed class RedisClusterTaskTests(RedisServer redis) : ClusterTaskTests, IClassFixture<RedisServer>
{
    private readonly string _prefix = $"test:{Guid.NewGuid().ToString("N")[..8]}:";
    private bool _aStopped;

    protected override void UseBackend(IMcpServerBuilder builder) =>
        builder.WithRedis(redis.Configuration, o => o.KeyPrefix = _prefix);

    public override async Task DisposeAsync()
    {
        if (!_aStopped)
        {
            await A.DisposeAsync();
        }

        await B.DisposeAsync();
    }

    [Fact]
    public async Task When_a_node_stops_its_finished_tasks_stay_and_its_running_ones_fail_on_the_others()
    {
        string finished = await StartAsync(A, "ask");
        await WaitForAsync(B, finished, McpTaskStatus.InputRequired);
        await AnswerAsync(B, finished, "kept");
        await WaitForAsync(B, finished, McpTaskStatus.Completed);
        string running = await StartAsync(A, "wait");

        _aStopped = true;
        await A.DisposeAsync();

        Assert.Equal("A:kept", Text(await GetAsync(B, finished)));
        var failed = await GetAsync(B, running);
        Assert.Equal(McpTaskStatus.Failed, failed.GetProperty("status").GetString());
        Assert.Equal(-32603, failed.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal("A", await CancelledOn.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task A_task_whose_node_lost_its_lease_is_failed_on_every_node()
    {
        string id = await StartAsync(A, "wait");
        Assert.Equal(McpTaskStatus.Working, (await GetAsync(B, id)).GetProperty("status").GetString());

        // What a node that died leaves behind once its lease lapsed: its tasks, and no lease.
        await using (var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration))
        {
            var server = connection.GetServer(connection.GetEndPoints()[0]);
            await foreach (var lease in server.KeysAsync(pattern: _prefix + "tasks:node:*"))
            {
                await connection.GetDatabase().KeyDeleteAsync(lease);
            }
        }

        var failed = await GetAsync(B, id);
        Assert.Equal(McpTaskStatus.Failed, failed.GetProperty("status").GetString());
        Assert.Contains("stopped", failed.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(McpTaskStatus.Failed, (await GetAsync(A, id)).GetProperty("status").GetString());
    }
}

using McpSharp.AspNetCore.Tests;
using Microsoft.Extensions.DependencyInjection;

namespace McpSharp.Redis.Tests;

/// <summary>
/// <see cref="ClusterTests"/> on Redis: the nodes share only a redis-server, through <c>WithRedis</c>. Each test's
/// nodes use keys of their own.
/// </summary>
public sealed class RedisClusterTests(RedisServer redis) : ClusterTests, IClassFixture<RedisServer>
{
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];

    protected override void UseBackend(IMcpServerBuilder builder, string scope) =>
        builder.WithRedis(redis.Configuration, o => o.KeyPrefix = $"test:{_run}:{scope}:");
}

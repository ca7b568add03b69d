using McpSharp.AspNetCore;
using McpSharp.AspNetCore.Streams;
using McpSharp.AspNetCore.Tests;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace McpSharp.Redis.Tests;

/// <summary><see cref="SharedStreamStoreTests"/> on Redis: two nodes' stores, each on its own connection, one key prefix.</summary>
public sealed class RedisSharedStreamStoreTests(RedisServer redis) : SharedStreamStoreTests, IClassFixture<RedisServer>
{
    protected override async Task<(IMcpEventStore A, IMcpEventStore B, IAsyncDisposable Scope)> CreateAsync()
    {
        var options = Options.Create(new McpRedisOptions { KeyPrefix = $"shared:{Guid.NewGuid():N}:" });
        var first = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var second = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var http = Options.Create(new McpHttpOptions());
        return (new RedisEventStore(first, options, http), new RedisEventStore(second, options, http), new Connections(first, second));
    }

    private sealed class Connections(params IConnectionMultiplexer[] connections) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }
}

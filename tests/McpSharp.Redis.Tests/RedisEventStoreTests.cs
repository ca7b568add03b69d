using System.Text;
using McpSharp.AspNetCore;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace McpSharp.Redis.Tests;

/// <summary>The event log's rules, as the in-memory store keeps them, on Redis.</summary>
public sealed class RedisEventStoreTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private readonly string _prefix = $"events:{Guid.NewGuid():N}:";

    private async Task<(RedisEventStore Store, IConnectionMultiplexer Redis)> CreateAsync(int maxEvents = 256)
    {
        var mux = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        return (new RedisEventStore(mux, Options.Create(new McpRedisOptions { KeyPrefix = _prefix, MaxEventsPerStream = maxEvents }), Options.Create(new McpHttpOptions())), mux);
    }

    private static async Task<List<(long, string)>> ReplayAsync(RedisEventStore store, string stream, long after, long upTo = long.MaxValue)
    {
        var replayed = new List<(long, string)>();
        Assert.True(await store.ReplayAsync("s", stream, after, upTo, (sequence, data) =>
        {
            replayed.Add((sequence, Encoding.UTF8.GetString(data.Span)));
            return ValueTask.CompletedTask;
        }, default));
        return replayed;
    }

    [Fact]
    public async Task Events_are_replayed_in_order_after_a_sequence_and_up_to_another()
    {
        var (store, mux) = await CreateAsync();
        using (mux)
        {
            await store.StoreAsync("s", "n.1", 0, default, default);
            for (int i = 1; i <= 5; i++)
            {
                await store.StoreAsync("s", "n.1", i, Encoding.UTF8.GetBytes($"e{i}"), default);
            }

            Assert.Equal([(3L, "e3"), (4L, "e4")], await ReplayAsync(store, "n.1", 2, 4));
            Assert.True(await store.CanResumeAsync("s", "n.1", 5, default));
            Assert.False(await store.CanResumeAsync("s", "n.1", 6, default));
            Assert.False(await store.CanResumeAsync("s", "unknown", 0, default));
        }
    }

    [Fact]
    public async Task Resuming_from_before_the_oldest_kept_event_is_refused()
    {
        var (store, mux) = await CreateAsync(maxEvents: 3);
        using (mux)
        {
            await store.StoreAsync("s", "n.1", 0, default, default);
            for (int i = 1; i <= 6; i++)
            {
                await store.StoreAsync("s", "n.1", i, Encoding.UTF8.GetBytes($"e{i}"), default);
            }

            // 4, 5 and 6 are kept: after 3 loses nothing, after 2 would miss 3.
            Assert.Equal([(4L, "e4"), (5L, "e5"), (6L, "e6")], await ReplayAsync(store, "n.1", 3));
            Assert.False(await store.CanResumeAsync("s", "n.1", 2, default));
            Assert.False(await store.ReplayAsync("s", "n.1", 2, long.MaxValue, (_, _) => ValueTask.CompletedTask, default));
        }
    }

    [Fact]
    public async Task A_deleted_session_keeps_nothing_and_late_events_do_not_bring_it_back()
    {
        var (store, mux) = await CreateAsync();
        using (mux)
        {
            await store.StoreAsync("s", "n.1", 0, default, default);
            await store.StoreAsync("s", "n.1", 1, "e1"u8.ToArray(), default);
            await store.DeleteSessionAsync("s", default);
            await store.StoreAsync("s", "n.1", 2, "late"u8.ToArray(), default);

            Assert.False(await store.CanResumeAsync("s", "n.1", 0, default));
            Assert.Empty(await mux.GetServer(mux.GetEndPoints()[0]).KeysAsync(pattern: _prefix + "*").ToListAsync());
        }
    }
}

using System.Text;
using McpSharp.AspNetCore.Streams;

namespace McpSharp.AspNetCore.Tests;

/// <summary>
/// The event store's rules for a stream that every node writes (a session's GET stream): the store numbers its events,
/// one number per event across the nodes, in the order they are stored; an event offered under a once key by several
/// nodes is kept once. Run per store: the in-memory default here, Redis in McpSharp.Redis.Tests, each with two handles
/// ("nodes") on one backend.
/// </summary>
public abstract class SharedStreamStoreTests
{
    /// <summary>Two handles on one fresh backend, as two nodes have; dispose the result when done.</summary>
    protected abstract Task<(IMcpEventStore A, IMcpEventStore B, IAsyncDisposable Scope)> CreateAsync();

    protected static async Task<List<(long Sequence, string Data)>> ReplayAsync(IMcpEventStore store, string session, string stream, long after)
    {
        var replayed = new List<(long, string)>();
        Assert.True(await store.ReplayAsync(session, stream, after, long.MaxValue, (sequence, data) =>
        {
            replayed.Add((sequence, Encoding.UTF8.GetString(data.Span)));
            return ValueTask.CompletedTask;
        }, default));
        return replayed;
    }

    [Fact]
    public async Task Events_appended_by_two_nodes_at_once_get_every_number_once_and_replay_in_that_order()
    {
        var (a, b, scope) = await CreateAsync();
        await using (scope)
        {
            await a.StoreAsync("s", "0", 0, default, default);
            var appends = Enumerable.Range(0, 100).Select(i => (i % 2 == 0 ? a : b).AppendAsync("s", "0", Encoding.UTF8.GetBytes($"e{i}"), null, default).AsTask()).ToArray();
            long[] sequences = await Task.WhenAll(appends);

            Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), sequences.Order());
            var replayed = await ReplayAsync(b, "s", "0", 0);
            Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), replayed.Select(e => e.Sequence));
            for (int i = 0; i < 100; i++)
            {
                Assert.Contains(replayed, e => e.Sequence == sequences[i] && e.Data == $"e{i}");
            }

            Assert.Equal(100, await a.LastSequenceAsync("s", "0", default));
            Assert.True(await a.CanResumeAsync("s", "0", 100, default));
            Assert.False(await a.CanResumeAsync("s", "0", 101, default));
        }
    }

    [Fact]
    public async Task An_event_offered_by_every_node_under_one_key_is_kept_once()
    {
        var (a, b, scope) = await CreateAsync();
        await using (scope)
        {
            await a.StoreAsync("s", "0", 0, default, default);
            Assert.Equal(1, await a.AppendAsync("s", "0", "changed"u8.ToArray(), "k1", default));
            Assert.Equal(0, await b.AppendAsync("s", "0", "changed"u8.ToArray(), "k1", default));
            Assert.Equal(0, await a.AppendAsync("s", "0", "changed"u8.ToArray(), "k1", default));
            Assert.Equal(2, await b.AppendAsync("s", "0", "changed"u8.ToArray(), "k2", default));

            // A key is per session.
            await a.StoreAsync("t", "0", 0, default, default);
            Assert.Equal(1, await b.AppendAsync("t", "0", "changed"u8.ToArray(), "k1", default));
            Assert.Equal([(1L, "changed"), (2L, "changed")], await ReplayAsync(a, "s", "0", 0));
        }
    }

    [Fact]
    public async Task Nothing_is_appended_for_an_unknown_or_deleted_session()
    {
        var (a, b, scope) = await CreateAsync();
        await using (scope)
        {
            Assert.Equal(0, await a.AppendAsync("s", "0", "x"u8.ToArray(), null, default));
            Assert.Equal(-1, await a.LastSequenceAsync("s", "0", default));

            await a.StoreAsync("s", "0", 0, default, default);
            Assert.Equal(0, await b.LastSequenceAsync("s", "0", default));
            Assert.Equal(1, await b.AppendAsync("s", "0", "x"u8.ToArray(), null, default));

            await b.DeleteSessionAsync("s", default);
            Assert.Equal(0, await a.AppendAsync("s", "0", "late"u8.ToArray(), null, default));
            Assert.Equal(-1, await a.LastSequenceAsync("s", "0", default));
            Assert.False(await a.CanResumeAsync("s", "0", 0, default));
        }
    }
}

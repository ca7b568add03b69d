using McpSharp.AspNetCore.Streams;

namespace McpSharp.AspNetCore.Tests;

/// <summary><see cref="SharedStreamStoreTests"/> on the in-memory store (one instance: the nodes of one process).</summary>
public sealed class InMemorySharedStreamStoreTests : SharedStreamStoreTests
{
    protected override Task<(IMcpEventStore A, IMcpEventStore B, IAsyncDisposable Scope)> CreateAsync()
    {
        var store = new InMemoryEventStore();
        return Task.FromResult<(IMcpEventStore, IMcpEventStore, IAsyncDisposable)>((store, store, new NoScope()));
    }

    [Fact]
    public async Task The_GET_stream_outlives_the_per_session_stream_limit_that_forgets_older_POST_streams()
    {
        var store = new InMemoryEventStore { MaxStreamsPerSession = 3 };
        await store.StoreAsync("s", "0", 0, default, default);
        Assert.Equal(1, await store.AppendAsync("s", "0", "get"u8.ToArray(), null, default));
        for (int i = 1; i <= 5; i++)
        {
            await store.StoreAsync("s", $"n.{i}", 0, default, default);
            await store.StoreAsync("s", $"n.{i}", 1, "post"u8.ToArray(), default);
        }

        Assert.False(await store.CanResumeAsync("s", "n.1", 0, default));
        Assert.True(await store.CanResumeAsync("s", "n.5", 0, default));
        Assert.Equal([(1L, "get")], await ReplayAsync(store, "s", "0", 0));
        Assert.Equal(2, await store.AppendAsync("s", "0", "next"u8.ToArray(), null, default));
    }

    private sealed class NoScope : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

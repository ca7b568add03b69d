using McpSharp.Client;
using McpSharp.Tests.TestSupport;
using McpSharp.Transports.Http;
using Xunit.Abstractions;
using static McpSharp.Redis.Tests.ClusterProcessTests;

namespace McpSharp.Redis.Tests;

/// <summary>
/// McpSharp's own client runs a workload on three sample nodes (real processes, a client-side balancer with no
/// affinity) while the cluster is broken under it: each node in turn killed (SIGKILL) and started again, then Redis
/// stopped and started again (persistence off: every session is gone). The application sees only errors it can
/// recover from: <see cref="McpRequestLostException"/> for a call whose node died while running it (it may have run;
/// the application sends it again). Everything else (503 while Redis is away, the 404 of a forgotten session) the
/// client absorbs. This class has its own redis-server.
/// </summary>
public sealed class ClusterChaosTests(RedisServer redis, ITestOutputHelper output) : IClassFixture<RedisServer>, IDisposable
{
    private readonly ListLoggerFactory _log = new();

    // Calls echo until stopped; a lost call is counted and the application goes on. Any other error ends the test.
    private sealed class Workload(McpClient client)
    {
        private int _completed;
        private int _lost;

        public int Completed => Volatile.Read(ref _completed);

        public int Lost => Volatile.Read(ref _lost);

        public async Task RunAsync(CancellationToken stop)
        {
            for (int i = 0; !stop.IsCancellationRequested; i++)
            {
                try
                {
                    Assert.Equal($"Echo: w{i}", Text(await client.CallToolAsync("echo", Args($$"""{"message":"w{{i}}"}"""), cancellationToken: CancellationToken.None)));
                    Interlocked.Increment(ref _completed);
                }
                catch (McpRequestLostException)
                {
                    Interlocked.Increment(ref _lost);
                }
            }
        }

        // Waits until the workload has completed `count` more calls (it is making progress, whatever happened).
        public Task ProgressAsync(int count)
        {
            int target = Completed + count;
            return Eventually.WaitUntilAsync(() => Completed >= target, $"{count} more calls to complete");
        }
    }

    // What a run saw, and how many new sessions the client had to start.
    private sealed record Outcome(Workload Workload, RotatingHandler Rotating, int NewSessions);

    public void Dispose()
    {
        // Shown when a test fails: the client's log and the nodes' warnings.
        foreach (var (level, message) in _log.Entries)
        {
            output.WriteLine($"client {level}: {message}");
        }

        while (SampleCluster.Output.TryDequeue(out string? line))
        {
            output.WriteLine("node: " + line);
        }
    }

    // Runs the workload on a fresh cluster while `breakIt` breaks it, then the whole client workload once more.
    private async Task<Outcome> RunAsync(Func<SampleCluster, Workload, RotatingHandler, Task> breakIt)
    {
        await using var cluster = await SampleCluster.StartAsync(redis, nodes: 3, proxy: false);
        using var rotating = new RotatingHandler(cluster.Nodes);
        var transport = new StreamableHttpClientTransport(new HttpClientTransportOptions { Endpoint = cluster.Nodes[0], HttpClient = new HttpClient(rotating) { Timeout = Timeout.InfiniteTimeSpan } }, _log);
        await using var client = await McpClient.ConnectAsync(transport, Options());
        int newSessions = 0;
        client.SessionReestablished += (_, _) => Interlocked.Increment(ref newSessions);

        var workload = new Workload(client);
        using var stop = new CancellationTokenSource();
        var running = workload.RunAsync(stop.Token);
        await workload.ProgressAsync(20);
        await breakIt(cluster, workload, rotating);
        await workload.ProgressAsync(20);
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(60));

        var outcome = new Outcome(workload, rotating, newSessions);
        output.WriteLine($"completed {workload.Completed}, lost {workload.Lost}, refused connections {rotating.Refused}, new sessions {newSessions}, "
            + $"statuses {string.Join(" ", rotating.Statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}x{s.Value}"))}");

        // Everything else still works on the session it ends with: sampling, subscriptions, log levels.
        await WorkAsync(client, "after");
        Assert.All(Enumerable.Range(0, 3), node => Assert.True(cluster.IsRunning(node)));
        Assert.False(rotating.Statuses.ContainsKey(500));
        return outcome;
    }

    [Fact]
    public async Task A_workload_goes_on_while_each_node_in_turn_is_killed_and_started_again()
    {
        var outcome = await RunAsync(async (cluster, workload, _) =>
        {
            for (int node = 0; node < 3; node++)
            {
                cluster.Kill(node);
                await workload.ProgressAsync(20);
                await cluster.RestartAsync(node);
                await workload.ProgressAsync(20);
            }
        });

        // The session lived through it all: no node owns it.
        Assert.Equal(0, outcome.NewSessions);
        Assert.True(outcome.Rotating.Refused > 0);
    }

    [Fact]
    public async Task A_workload_goes_on_while_Redis_is_stopped_and_started_again_and_no_node_restarts()
    {
        var outcome = await RunAsync(async (_, _, rotating) =>
        {
            // Redis goes away until the nodes have answered 503 (the client sends those calls again), then comes back
            // empty: the session is forgotten, and the client starts a new one.
            redis.Stop();
            try
            {
                await Eventually.WaitUntilAsync(() => rotating.Statuses.ContainsKey(503), "a 503 while Redis is away");
            }
            finally
            {
                redis.Start();
            }
        });

        Assert.True(outcome.NewSessions >= 1);
    }
}

using System.Diagnostics;

namespace McpSharp.Redis.Tests;

/// <summary>
/// Nodes of the sample (samples/EverythingServer --redis) as real processes on free loopback ports, sharing one
/// redis-server; optionally the round-robin proxy of samples/Cluster in front of them. Nodes can be killed (SIGKILL).
/// </summary>
public sealed class SampleCluster : IAsyncDisposable
{
    private readonly List<Process> _processes = [];
    private string _redis = string.Empty;

    private SampleCluster()
    {
    }

    public List<Uri> Nodes { get; } = [];

    public Uri? Proxy { get; private set; }

    public static async Task<SampleCluster> StartAsync(RedisServer redis, int nodes, bool proxy)
    {
        var cluster = new SampleCluster { _redis = redis.Configuration };
        try
        {
            for (int i = 0; i < nodes; i++)
            {
                var (node, process) = await StartNodeAsync(cluster._redis, "http://127.0.0.1:0");
                cluster.Nodes.Add(node);
                cluster._processes.Add(process);
            }

            if (proxy)
            {
                var arguments = new List<string> { "--urls", "http://127.0.0.1:0" };
                foreach (var node in cluster.Nodes)
                {
                    arguments.AddRange(["--node", node.GetLeftPart(UriPartial.Authority)]);
                }

                var (proxyUri, proxyProcess) = await StartAsync(Built("samples/Cluster/ClusterProxy", "ClusterProxy.dll"), arguments, "LISTENING ");
                cluster._processes.Add(proxyProcess);
                cluster.Proxy = new Uri(proxyUri.GetLeftPart(UriPartial.Authority) + "/mcp");
            }

            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Kills node <paramref name="index"/> at once (SIGKILL): no shutdown, no goodbye to anyone.</summary>
    public void Kill(int index)
    {
        var process = _processes[index];
        process.Kill(entireProcessTree: true);
        process.WaitForExit(10_000);
    }

    /// <summary>Starts node <paramref name="index"/> again (after <see cref="Kill"/>), on the same address.</summary>
    public async Task RestartAsync(int index)
    {
        _processes[index].Dispose();
        var (_, process) = await StartNodeAsync(_redis, Nodes[index].GetLeftPart(UriPartial.Authority));
        _processes[index] = process;
    }

    /// <summary>True while node <paramref name="index"/>'s process runs.</summary>
    public bool IsRunning(int index) => !_processes[index].HasExited;

    public ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }

            process.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private static Task<(Uri, Process)> StartNodeAsync(string redis, string url) =>
        StartAsync(Built("samples/EverythingServer", "EverythingServer.dll"), ["--urls", url, "--redis", redis], "Serving MCP over Streamable HTTP at ");

    private static async Task<(Uri, Process)> StartAsync(string dll, IEnumerable<string> arguments, string readyLine)
    {
        var start = new ProcessStartInfo(DotnetHost(), [dll, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["Logging__LogLevel__Default"] = "Information";
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {dll}.");
        try
        {
            _ = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                int at = line.IndexOf(readyLine, StringComparison.Ordinal);
                if (at >= 0)
                {
                    // Keep reading, so the process never blocks on a full pipe.
                    _ = DrainAsync(process.StandardOutput);
                    return (new Uri(line[(at + readyLine.Length)..].Split(',')[0].Trim()), process);
                }
            }

            throw new InvalidOperationException($"{dll} did not start.");
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>What the nodes wrote (their logs), for a failing test to show.</summary>
    public static System.Collections.Concurrent.ConcurrentQueue<string> Output { get; } = new();

    private static async Task DrainAsync(StreamReader output)
    {
        while (await output.ReadLineAsync() is { } line)
        {
            if (line.Contains("warn", StringComparison.Ordinal) || line.Contains("fail", StringComparison.Ordinal) || line.Contains("McpSharp", StringComparison.Ordinal))
            {
                Output.Enqueue(line);
            }
        }
    }

    private static string Built(string project, string dll)
    {
        string configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        string path = Path.Combine(RepositoryRoot(), project, "bin", configuration, "net10.0", dll);
        return File.Exists(path) ? path : throw new FileNotFoundException("Build it first (the test project references it).", path);
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "McpSharp.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Cannot find the repository root.");
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}

using System.Diagnostics;

namespace McpSharp.Tests.TestSupport;

/// <summary>
/// The Node.js peers in tests/interop/typescript (the official TypeScript SDK). Installs their npm packages on first
/// use, so a fresh machine with only Node and npm runs the interop tests with nothing preinstalled.
/// </summary>
public static class NodeInterop
{
    private static readonly Lazy<Task> Installed = new(InstallAsync);

    public static string Folder => Path.Combine(StdioChild.RepositoryRoot(), "tests", "interop", "typescript");

    public static string ServerScript => Path.Combine(Folder, "server.mjs");

    /// <summary>A tutorial-shaped Express server with a POST route only (issue 19).</summary>
    public static string ExpressPostOnlyScript => Path.Combine(Folder, "express-post-only.mjs");

    public static Task EnsureInstalledAsync() => Installed.Value;

    /// <summary>Starts a TypeScript SDK server over HTTP (by default server.mjs); returns the process and its MCP endpoint.</summary>
    public static async Task<(Process Process, Uri Endpoint)> StartHttpServerAsync(string? script = null)
    {
        await EnsureInstalledAsync();
        var start = new ProcessStartInfo("node", [script ?? ServerScript]) { WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("LISTENING ", StringComparison.Ordinal))
            {
                return (process, new Uri($"http://127.0.0.1:{line["LISTENING ".Length..]}/mcp"));
            }
        }

        throw new InvalidOperationException("The TypeScript server did not start: " + await process.StandardError.ReadToEndAsync(timeout.Token));
    }

    public static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }

        process.Dispose();
    }

    private static async Task InstallAsync()
    {
        if (File.Exists(Path.Combine(Folder, "node_modules", "@modelcontextprotocol", "sdk", "package.json")))
        {
            return;
        }

        var start = new ProcessStartInfo("npm", ["ci", "--no-audit", "--no-fund"]) { WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var npm = Process.Start(start) ?? throw new InvalidOperationException("Could not start npm.");
        var output = npm.StandardOutput.ReadToEndAsync();
        var error = npm.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await npm.WaitForExitAsync(timeout.Token);
        if (npm.ExitCode != 0)
        {
            throw new InvalidOperationException($"npm ci failed ({npm.ExitCode}) in {Folder}:\n{await output}\n{await error}");
        }
    }
}

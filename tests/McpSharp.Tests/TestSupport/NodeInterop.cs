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

    /// <summary>The TypeScript SDK v2 server, both eras on one endpoint.</summary>
    public static string V2ServerScript => Path.Combine(Folder, "v2-server.mjs");

    /// <summary>A tutorial-shaped Express server with a POST route only (issue 19).</summary>
    public static string ExpressPostOnlyScript => Path.Combine(Folder, "express-post-only.mjs");

    public static Task EnsureInstalledAsync() => Installed.Value;

    /// <summary>Starts a TypeScript SDK server over HTTP (by default server.mjs); returns the process and its MCP endpoint.</summary>
    public static async Task<(Process Process, Uri Endpoint)> StartHttpServerAsync(string? script = null)
    {
        await EnsureInstalledAsync();
        return await StartListeningAsync(new ProcessStartInfo("node", [script ?? ServerScript]) { WorkingDirectory = Folder });
    }

    /// <summary>Starts a peer server process that prints "LISTENING &lt;port&gt;" when ready; returns it and its MCP endpoint.</summary>
    public static async Task<(Process Process, Uri Endpoint)> StartListeningAsync(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("LISTENING ", StringComparison.Ordinal))
            {
                return (process, new Uri($"http://127.0.0.1:{line["LISTENING ".Length..]}/mcp"));
            }
        }

        throw new InvalidOperationException($"The peer server {string.Join(' ', start.ArgumentList)} did not start: " + await process.StandardError.ReadToEndAsync(timeout.Token));
    }

    /// <summary>Runs a Node program of the interop folder to its end; returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string program, IEnumerable<string> arguments, TimeSpan timeout)
    {
        await EnsureInstalledAsync();
        var start = new ProcessStartInfo("node", [Path.Combine(Folder, program), .. arguments])
        {
            WorkingDirectory = Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var node = Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(timeout);
        await node.WaitForExitAsync(limit.Token);
        return (node.ExitCode, await stdout, await stderr);
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
        if (File.Exists(Path.Combine(Folder, "node_modules", "@modelcontextprotocol", "sdk", "package.json"))
            && File.Exists(Path.Combine(Folder, "node_modules", "@modelcontextprotocol", "server", "package.json")))
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

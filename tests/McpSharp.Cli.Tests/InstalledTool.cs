using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using McpSharp.Tests.TestSupport;

namespace McpSharp.Cli.Tests;

/// <summary>
/// The tool as a user installs it: src/McpSharp.Cli packed (as built for this test run) under a version of its own, then
/// <c>dotnet tool install</c>ed into a temp tool path with a temp NuGet cache (no stale copy can stand in for it).
/// </summary>
public sealed class InstalledTool : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "mcpsharp-cli-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>The installed <c>mcpsharp</c> command.</summary>
    public string Command { get; private set; } = "";

    public async Task InitializeAsync()
    {
        string configuration = typeof(InstalledTool).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        string version = "0.1.0-test" + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture);
        string packages = Path.Combine(_root, "packages"), tools = Path.Combine(_root, "tools");
        string project = Path.Combine(StdioChild.RepositoryRoot(), "src", "McpSharp.Cli", "McpSharp.Cli.csproj");
        await DotnetAsync(["pack", project, "--no-build", "-c", configuration, "-o", packages, $"-p:PackageVersion={version}", "-nologo"]);
        await DotnetAsync(["tool", "install", "McpSharp.Cli", "--tool-path", tools, "--add-source", packages, "--version", version]);
        Command = Path.Combine(tools, OperatingSystem.IsWindows() ? "mcpsharp.exe" : "mcpsharp");
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }

        return Task.CompletedTask;
    }

    /// <summary>Starts <c>mcpsharp</c> with its standard streams redirected (stdin closed: no terminal).</summary>
    public Process Start(params string[] arguments)
    {
        var start = new ProcessStartInfo(Command) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The tool's launcher finds the runtime through DOTNET_ROOT: the one running these tests. --login never starts
        // a browser here: a test reads the sign-in URL the tool prints.
        start.Environment["DOTNET_ROOT"] = DotnetRoot();
        start.Environment["MCPSHARP_NO_BROWSER"] = "1";
        var process = Process.Start(start)!;
        process.StandardInput.Close();
        return process;
    }

    /// <summary>Ctrl+C: SIGINT through kill(1), the way a terminal's Ctrl+C reaches the process on Linux, where these tests run.</summary>
    public static async Task InterruptAsync(Process process, CancellationToken cancellationToken)
    {
        using var interrupt = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await interrupt.WaitForExitAsync(cancellationToken);
    }

    /// <summary>Runs <c>mcpsharp</c> to its end (at most a minute): its exit code, stdout and stderr.</summary>
    public async Task<(int Exit, string Out, string Error)> RunAsync(params string[] arguments)
    {
        using var process = Start(arguments);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"mcpsharp {string.Join(' ', arguments)} did not end within a minute.");
        }

        return (process.ExitCode, await output, await error);
    }

    private async Task DotnetAsync(string[] arguments)
    {
        var start = new ProcessStartInfo(StdioChild.DotnetHost()) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["NUGET_PACKAGES"] = Path.Combine(_root, "nuget");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{await output}\n{await error}");
        }
    }

    // .../dotnet/shared/Microsoft.NETCore.App/<version>/ -> .../dotnet
    internal static string DotnetRoot() => Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
}

[CollectionDefinition(Name)]
public sealed class InstalledToolGroup : ICollectionFixture<InstalledTool>, ICollectionFixture<SampleHttpServer>
{
    public const string Name = "mcpsharp installed";
}

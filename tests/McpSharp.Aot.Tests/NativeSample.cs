using System.Diagnostics;
using System.Reflection;
using McpSharp.Tests.TestSupport;

namespace McpSharp.Aot.Tests;

/// <summary>
/// The sample published with Native AOT, once for all the tests here: <c>dotnet publish</c> (the sample's project sets
/// <c>PublishAot</c>) into a temporary folder, with an artifacts path of its own so that nothing in the repository's
/// build outputs is touched while other test assemblies run. Warnings are errors in that build, so any trimming or AOT
/// warning fails the fixture.
/// </summary>
public sealed class NativeSample : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "mcpsharp-aot-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>The native executable.</summary>
    public string Executable => Path.Combine(_root, "publish", OperatingSystem.IsWindows() ? "EverythingServer.exe" : "EverythingServer");

    public async Task InitializeAsync()
    {
        string project = Path.Combine(StdioChild.RepositoryRoot(), "samples", "EverythingServer", "EverythingServer.csproj");
        var (exit, output) = await RunAsync(StdioChild.DotnetHost(), "publish", project, "-c", "Release", "-o", Path.Combine(_root, "publish"),
            "--artifacts-path", Path.Combine(_root, "artifacts"), "-nologo", "-p:NuGetAudit=false");
        Assert.True(exit == 0, "dotnet publish (Native AOT) failed:\n" + output);
        Assert.Contains("Generating native code", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Executable), "No native executable at " + Executable);
        // Native: no managed entry assembly beside it for a dotnet host to run.
        Assert.False(File.Exists(Path.Combine(_root, "publish", "EverythingServer.dll")));
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

    /// <summary>The built mcpsharp tool (src/McpSharp.Cli), run through the dotnet host.</summary>
    public static ProcessStartInfo Mcpsharp(params string[] arguments)
    {
        string configuration = typeof(NativeSample).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        string tool = Path.Combine(StdioChild.RepositoryRoot(), "src", "McpSharp.Cli", "bin", configuration, "net10.0", "McpSharp.Cli.dll");
        return new ProcessStartInfo(StdioChild.DotnetHost(), [tool, .. arguments]);
    }

    /// <summary>Runs a process to its end; its exit code and everything it wrote.</summary>
    public static async Task<(int Exit, string Output)> RunAsync(ProcessStartInfo start)
    {
        ArgumentNullException.ThrowIfNull(start);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    private static Task<(int Exit, string Output)> RunAsync(string file, params string[] arguments) => RunAsync(new ProcessStartInfo(file, arguments));
}

[CollectionDefinition(Name)]
public sealed class NativeSampleGroup : ICollectionFixture<NativeSample>
{
    public const string Name = "the sample, native";
}

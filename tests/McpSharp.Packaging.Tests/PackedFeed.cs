using System.Diagnostics;
using System.Reflection;
using McpSharp.Tests.TestSupport;

namespace McpSharp.Packaging.Tests;

/// <summary>
/// Every McpSharp package, packed once (under a version of its own) into a temporary feed; and the means to build
/// projects outside the repository from it as a user would: a nuget.config naming the feed and the machine's package
/// cache, a packages folder of their own (nothing left in the machine's, no earlier copy of these versions picked up).
/// </summary>
public sealed class PackedFeed : IAsyncLifetime
{
    /// <summary>The library packages, and the template package.</summary>
    public static readonly string[] Packages = ["McpSharp", "McpSharp.Hosting", "McpSharp.AspNetCore", "McpSharp.Redis", "McpSharp.Extensions.AI"];

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "mcpsharp-packages-" + Guid.NewGuid().ToString("N")[..8]);

    public string Version { get; } = "0.1.0-test" + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture);

    public string Feed => Path.Combine(Root, "feed");

    /// <summary>The packed template package.</summary>
    public string TemplatePackage => Path.Combine(Feed, $"McpSharp.Templates.{Version}.nupkg");

    public async Task InitializeAsync()
    {
        string configuration = typeof(PackedFeed).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        foreach (string project in Packages)
        {
            await DotnetAsync(StdioChild.RepositoryRoot(), "pack", Path.Combine("src", project, project + ".csproj"), "--no-build", "-c", configuration, "-o", Feed, $"-p:PackageVersion={Version}", "-nologo");
        }

        await DotnetAsync(StdioChild.RepositoryRoot(), "pack", Path.Combine("templates", "McpSharp.Templates", "McpSharp.Templates.csproj"), "-c", configuration, "-o", Feed, $"-p:PackageVersion={Version}", "-nologo");
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }

        return Task.CompletedTask;
    }

    /// <summary>A new empty folder under the root, with a nuget.config that finds the feed and the machine's cache.</summary>
    public async Task<string> NewProjectFolderAsync(string name)
    {
        string folder = Path.Combine(Root, name);
        Directory.CreateDirectory(folder);
        string cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } set ? set : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        await File.WriteAllTextAsync(Path.Combine(folder, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="mcpsharp-under-test" value="{Feed}" />
                <add key="machine-cache" value="{cache}" />
              </packageSources>
            </configuration>
            """);
        return folder;
    }

    /// <summary>Builds (or tests...) in <paramref name="folder"/> with its own packages folder.</summary>
    public Task<string> DotnetWithOwnPackagesAsync(string folder, params string[] arguments) =>
        DotnetAsync(folder, [.. arguments, "-nologo", "-p:NuGetAudit=false", "-p:RestorePackagesPath=" + Path.Combine(Root, "nuget")]);

    /// <summary>Runs dotnet to its end and returns what it wrote; a failure fails the test with that output.</summary>
    public static async Task<string> DotnetAsync(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo(StdioChild.DotnetHost()) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"dotnet {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{await output}\n{await error}");
        return await output + await error;
    }
}

[CollectionDefinition(Name)]
public sealed class PackedFeedGroup : ICollectionFixture<PackedFeed>
{
    public const string Name = "packed feed";
}

using System.Diagnostics;
using McpSharp.Tests.TestSupport;

namespace McpSharp.Packaging.Tests;

/// <summary>
/// The public surface is tracked (PublicAPI.Shipped.txt and PublicAPI.Unshipped.txt beside each package's project):
/// McpSharp, copied out of the repository with what it builds from, gets one public type more, and its build fails
/// with RS0016 naming exactly that type and its member.
/// </summary>
public sealed class PublicApiTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "mcpsharp-publicapi-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public async Task A_public_member_missing_from_the_public_api_files_fails_the_build()
    {
        string repository = StdioChild.RepositoryRoot();
        foreach (string file in (string[])["Directory.Build.props", "Directory.Packages.props", "global.json", "README.md"])
        {
            Directory.CreateDirectory(_root);
            File.Copy(Path.Combine(repository, file), Path.Combine(_root, file));
        }

        CopyProject(Path.Combine(repository, "src", "McpSharp"), Path.Combine(_root, "src", "McpSharp"));
        CopyProject(Path.Combine(repository, "src", "McpSharp.Generators"), Path.Combine(_root, "src", "McpSharp.Generators"));
        await File.WriteAllTextAsync(Path.Combine(_root, "src", "McpSharp", "Undeclared.cs"), """
            namespace McpSharp;

            /// <summary>Public, and in no PublicAPI file.</summary>
            public static class Undeclared
            {
                /// <summary>A member.</summary>
                public static int Answer => 42;
            }
            """);

        var start = new ProcessStartInfo(StdioChild.DotnetHost(), ["build", Path.Combine(_root, "src", "McpSharp", "McpSharp.csproj"), "-nologo", "-p:NuGetAudit=false"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var build = Process.Start(start)!;
        var output = build.StandardOutput.ReadToEndAsync();
        var error = build.StandardError.ReadToEndAsync();
        await build.WaitForExitAsync();
        string log = await output + await error;

        Assert.True(build.ExitCode != 0, log);
        string[] errors = [.. log.Split('\n').Where(l => l.Contains(": error ", StringComparison.Ordinal)).Select(l => l.Trim()).Distinct()];
        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.Contains("error RS0016", e, StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("McpSharp.Undeclared.Answer.get -> int", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("'McpSharp.Undeclared'", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static void CopyProject(string from, string to)
    {
        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(from, file);
            if (relative.StartsWith("bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal) || relative.StartsWith("obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(to, relative))!);
            File.Copy(file, Path.Combine(to, relative));
        }
    }
}

using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using McpSharp.Tests.TestSupport;

namespace McpSharp.Packaging.Tests;

/// <summary>
/// A user's first server, from packages only: McpSharp and McpSharp.Hosting packed (under a version of their own) into a
/// temporary feed; a fresh console project outside the repository with two PackageReferences, an [McpTool] method,
/// warnings as errors; built and run over stdio. The tool is listed with the schema the generator (inside the McpSharp
/// package) made for it, and called.
/// </summary>
public sealed class PackageConsumerTests : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "mcpsharp-packages-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly string _version = "0.1.0-test" + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture);

    private string Feed => Path.Combine(_root, "feed");

    private string App => Path.Combine(_root, "app");

    public async Task InitializeAsync()
    {
        string configuration = typeof(PackageConsumerTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        foreach (string project in (string[])["McpSharp", "McpSharp.Hosting"])
        {
            await DotnetAsync(StdioChild.RepositoryRoot(), "pack", Path.Combine("src", project, project + ".csproj"), "--no-build", "-c", configuration, "-o", Feed, $"-p:PackageVersion={_version}", "-nologo");
        }

        Directory.CreateDirectory(App);
        string cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } set ? set : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        await File.WriteAllTextAsync(Path.Combine(App, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="mcpsharp-under-test" value="{Feed}" />
                <add key="machine-cache" value="{cache}" />
              </packageSources>
            </configuration>
            """);
        await File.WriteAllTextAsync(Path.Combine(App, "app.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="McpSharp" Version="{_version}" />
                <PackageReference Include="McpSharp.Hosting" Version="{_version}" />
                <PackageReference Include="Microsoft.Extensions.Hosting" Version="10.0.14" />
              </ItemGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(App, "Program.cs"), """
            using System.ComponentModel;
            using McpSharp.Authoring;
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.Extensions.Hosting;
            using Microsoft.Extensions.Logging;

            var builder = Host.CreateApplicationBuilder(args);
            builder.Logging.ClearProviders();
            builder.Services.AddMcpServer().WithTools(typeof(Calculator)).WithStdioTransport();
            await builder.Build().RunAsync();

            public static class Calculator
            {
                [McpTool, Description("Adds two numbers.")]
                public static int Add([Description("The first")] int a, int b = 1) => a + b;
            }
            """);

        // Its own NuGet cache: nothing left behind in the machine's, no earlier copy of these versions picked up.
        await DotnetAsync(App, "build", "-c", "Release", "-nologo", "-p:NuGetAudit=false", "--packages", Path.Combine(_root, "nuget"));
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

    [Fact]
    public async Task A_tool_in_a_project_with_only_the_packages_has_its_generated_schema_and_answers_over_stdio()
    {
        await using var server = new StdioChild(new ProcessStartInfo(StdioChild.DotnetHost(), [Path.Combine(App, "bin", "Release", "net10.0", "app.dll")]));
        await server.InitializeAsync();

        var tools = await server.RequestAsync(1, "tools/list");
        var add = tools.GetProperty("result").GetProperty("tools").EnumerateArray().Single();
        Assert.Equal("add", add.GetProperty("name").GetString());
        Assert.Equal("Adds two numbers.", add.GetProperty("description").GetString());
        var schema = add.GetProperty("inputSchema");
        Assert.Equal("integer", schema.GetProperty("properties").GetProperty("a").GetProperty("type").GetString());
        Assert.Equal("The first", schema.GetProperty("properties").GetProperty("a").GetProperty("description").GetString());
        Assert.Equal(1, schema.GetProperty("properties").GetProperty("b").GetProperty("default").GetInt32());
        Assert.Equal(["a"], schema.GetProperty("required").EnumerateArray().Select(r => r.GetString()));

        var call = await server.RequestAsync(2, "tools/call", """{"name":"add","arguments":{"a":2,"b":3}}""");
        // A number is structured output (wrapped, as the output schema says), and its text the same JSON.
        Assert.Equal(5, call.GetProperty("result").GetProperty("structuredContent").GetProperty("result").GetInt32());
        Assert.Equal("""{"result":5}""", call.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString());
    }

    private static async Task DotnetAsync(string directory, params string[] arguments)
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
    }
}

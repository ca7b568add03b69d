using System.Diagnostics;
using McpSharp.Tests.TestSupport;

namespace McpSharp.Packaging.Tests;

/// <summary>
/// <c>dotnet new mcpsharp-server</c> from the packed template package (installed into a template hive of its own, so
/// the machine's templates are untouched): the generated solution builds with warnings as errors against the packed
/// McpSharp of the template's own version, its smoke test passes (it starts the server and calls its tools), and
/// the server answers a client here too.
/// </summary>
[Collection(PackedFeedGroup.Name)]
public sealed class TemplateTests(PackedFeed feed)
{
    [Theory]
    [InlineData("stdio")]
    [InlineData("http")]
    public async Task A_generated_server_builds_passes_its_smoke_test_and_answers(string transport)
    {
        string folder = await feed.NewProjectFolderAsync("template-" + transport);
        string hive = Path.Combine(feed.Root, "hive-" + transport);
        await PackedFeed.DotnetAsync(folder, "new", "install", feed.TemplatePackage, "--debug:custom-hive", hive);
        await PackedFeed.DotnetAsync(folder, "new", "mcpsharp-server", "-n", "Weather", "-o", ".", "--transport", transport, "--debug:custom-hive", hive);

        string project = await File.ReadAllTextAsync(Path.Combine(folder, "Weather", "Weather.csproj"));
        Assert.Contains($"""<PackageReference Include="McpSharp" Version="{feed.Version}" />""", project, StringComparison.Ordinal);
        Assert.Equal(transport == "http", project.Contains("McpSharp.AspNetCore", StringComparison.Ordinal));

        string test = await feed.DotnetWithOwnPackagesAsync(folder, "test", "Weather.slnx");
        Assert.Matches(@"Passed!\s+-\s+Failed:\s+0,\s+Passed:\s+1,", test);

        // And by hand: the built server, listed and called over stdio (the HTTP one was just called by its smoke test).
        if (transport == "stdio")
        {
            await using var server = new StdioChild(new ProcessStartInfo(StdioChild.DotnetHost(), [Path.Combine(folder, "Weather", "bin", "Debug", "net10.0", "Weather.dll")]));
            var init = await server.InitializeAsync();
            Assert.Equal("Weather", init.GetProperty("result").GetProperty("serverInfo").GetProperty("name").GetString());
            var call = await server.RequestAsync(1, "tools/call", """{"name":"get_forecast","arguments":{"city":"Oslo","days":2}}""");
            Assert.Equal(2, call.GetProperty("result").GetProperty("structuredContent").GetProperty("days").GetInt32());
        }
    }
}

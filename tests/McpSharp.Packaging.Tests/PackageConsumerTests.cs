using System.Diagnostics;
using System.Text.Json;
using McpSharp.Client;
using McpSharp.Protocol;
using McpSharp.Tests.TestSupport;
using McpSharp.Transports.Http;

namespace McpSharp.Packaging.Tests;

/// <summary>
/// A user's first servers, from packages only: fresh projects outside the repository whose only McpSharp references
/// are PackageReferences to the packed feed, with warnings as errors; built and run. Their [McpTool] methods are
/// listed with the schemas the generator (inside the McpSharp package) made, and called: over stdio from a console
/// project, over Streamable HTTP from a web project (which also serves an AIFunction through McpSharp.Extensions.AI).
/// </summary>
[Collection(PackedFeedGroup.Name)]
public sealed class PackageConsumerTests(PackedFeed feed)
{
    [Fact]
    public async Task A_tool_in_a_console_project_with_only_the_packages_has_its_generated_schema_and_answers_over_stdio()
    {
        string app = await feed.NewProjectFolderAsync("console");
        await File.WriteAllTextAsync(Path.Combine(app, "app.csproj"), Project("Microsoft.NET.Sdk", "McpSharp", "McpSharp.Hosting") + "\n");
        await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), """
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
        await feed.DotnetWithOwnPackagesAsync(app, "build", "-c", "Release");

        await using var server = new StdioChild(new ProcessStartInfo(StdioChild.DotnetHost(), [Path.Combine(app, "bin", "Release", "net10.0", "app.dll")]));
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

    [Fact]
    public async Task A_web_project_with_only_the_packages_serves_its_tools_and_an_ai_function_over_http()
    {
        string app = await feed.NewProjectFolderAsync("web");
        await File.WriteAllTextAsync(Path.Combine(app, "web.csproj"), Project("Microsoft.NET.Sdk.Web", "McpSharp", "McpSharp.AspNetCore", "McpSharp.Extensions.AI"));
        await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), """
            using System.ComponentModel;
            using McpSharp.AspNetCore;
            using McpSharp.Authoring;
            using McpSharp.Extensions.AI;
            using Microsoft.Extensions.AI;

            var builder = WebApplication.CreateSlimBuilder(args);
            builder.Services.AddMcpServer()
                .WithTools(typeof(Weather))
                .WithAIFunctions(AIFunctionFactory.Create((string name) => $"Hello, {name}", "greet", "Greets someone."))
                .WithHttpTransport();
            var app = builder.Build();
            app.MapMcp("/mcp");
            await app.RunAsync();

            public static class Weather
            {
                [McpTool(ReadOnly = true), Description("The forecast for a city.")]
                public static Forecast GetForecast([Description("The city")] string city) => new(city, 18.5);
            }

            /// <summary>A forecast.</summary>
            /// <param name="City">The city.</param>
            /// <param name="TemperatureC">Degrees Celsius.</param>
            public sealed record Forecast(string City, double TemperatureC);
            """);
        await feed.DotnetWithOwnPackagesAsync(app, "build", "-c", "Release");

        var (process, address) = await ListeningProcess.StartAsync(new ProcessStartInfo(StdioChild.DotnetHost(), [Path.Combine(app, "bin", "Release", "net10.0", "web.dll"), "--urls", "http://127.0.0.1:0"]));
        try
        {
            await using var client = await McpClient.ConnectAsync(new StreamableHttpClientTransport(new HttpClientTransportOptions { Endpoint = new Uri(address, "mcp") }));
            var tools = (await client.ListToolsAsync()).Tools.ToDictionary(t => t.Name);
            var forecast = tools["get_forecast"];
            Assert.Equal("The city", forecast.InputSchema.GetProperty("properties").GetProperty("city").GetProperty("description").GetString());
            Assert.Equal("object", forecast.OutputSchema!.Value.GetProperty("type").GetString());
            Assert.Equal("Greets someone.", tools["greet"].Description);

            var result = await client.CallToolAsync("get_forecast", Arguments("""{"city":"Oslo"}"""));
            Assert.Equal(18.5, result.StructuredContent!.Value.GetProperty("temperatureC").GetDouble());
            var greeting = await client.CallToolAsync("greet", Arguments("""{"name":"Ada"}"""));
            Assert.Equal("Hello, Ada", Assert.IsType<TextContentBlock>(Assert.Single(greeting.Content)).Text);
        }
        finally
        {
            await ListeningProcess.StopAsync(process);
        }
    }

    internal static Dictionary<string, JsonElement> Arguments(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
    }

    private string Project(string sdk, params string[] packages) => $"""
        <Project Sdk="{sdk}">
          <PropertyGroup>
            <OutputType>Exe</OutputType>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
            <ImplicitUsings>enable</ImplicitUsings>
            <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
            <GenerateDocumentationFile>true</GenerateDocumentationFile>
            <NoWarn>$(NoWarn);CS1591</NoWarn>
          </PropertyGroup>
          <ItemGroup>
        {string.Concat(packages.Select(p => $"    <PackageReference Include=\"{p}\" Version=\"{feed.Version}\" />\n"))}{(sdk == "Microsoft.NET.Sdk" ? "    <PackageReference Include=\"Microsoft.Extensions.Hosting\" Version=\"10.0.14\" />\n" : "")}          </ItemGroup>
        </Project>
        """;
}

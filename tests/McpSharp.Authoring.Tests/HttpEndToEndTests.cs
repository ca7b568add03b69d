using McpSharp.AspNetCore;
using McpSharp.Authoring.Tests.Catalogue;
using McpSharp.Authoring.Tests.TestSupport;
using McpSharp.Client;
using McpSharp.Protocol;
using McpSharp.Transports.Http;
using McpSharp.Tests.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace McpSharp.Authoring.Tests;

/// <summary>
/// Generated tools, resources and prompts over Streamable HTTP on a real Kestrel (127.0.0.1, port 0), registered
/// through the hosting builder with options bound from configuration, and called by McpClient.
/// </summary>
public sealed class HttpEndToEndTests : IAsyncLifetime
{
    private WebApplication _app = null!;
    private McpClient _client = null!;

    public async Task InitializeAsync()
    {
        var builder = LoopbackHost.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mcp:ServerInfo:Name"] = "configured",
            ["Mcp:ServerInfo:Version"] = "2.0.0",
            ["Mcp:PageSize"] = "3",
            ["Mcp:Http:IdleTimeout"] = "00:05:00",
            ["Mcp:Http:AllowedOrigins:0"] = "https://app.example",
        });
        builder.Services.AddSingleton<IGreeter, Greeter>();
        builder.Services.AddScoped<CallScope>();
        builder.Services.AddMcpServer()
            .BindConfiguration()
            .WithTools(typeof(SchemaTools))
            .WithTools<Library>()
            .WithResources<Library>()
            .WithPrompts<Library>()
            .WithHttpTransport()
            .BindHttpConfiguration();
        _app = builder.Build();
        _app.MapMcp("/mcp");
        _client = await McpClient.ConnectAsync(new StreamableHttpClientTransport(new HttpClientTransportOptions { Endpoint = await LoopbackHost.StartAsync(_app) }));
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public void Options_come_from_configuration()
    {
        Assert.Equal(("configured", "2.0.0"), (_client.ServerInfo.Name, _client.ServerInfo.Version));
        var http = _app.Services.GetRequiredService<IOptions<McpHttpOptions>>().Value;
        Assert.Equal(TimeSpan.FromMinutes(5), http.IdleTimeout);
        Assert.Equal(["https://app.example"], http.AllowedOrigins);
    }

    [Fact]
    public async Task Tools_bind_validate_and_return_structured_output_over_http()
    {
        var forecast = await _client.CallToolAsync("get_forecast", Args("""{"city":"Oslo","days":3}"""));
        Assert.Equal("""{"city":"Oslo","temperature":21.5,"units":"Metric","notes":["3 day(s)"]}""", forecast.StructuredContent!.Value.GetRawText());

        var invalid = await _client.CallToolAsync("nested", Args("""{"place":{},"filter":{"owner":"me","limit":"x"}}"""));
        Assert.True(invalid.IsError);
        Assert.Equal("Invalid arguments for tool 'nested': 'place.city' is required; 'filter.limit' must be an integer.", Results.Text(invalid));

        Assert.Equal("Hello, Ada!", Results.Text(await _client.CallToolAsync("greet", Args("""{"name":"Ada"}"""))));
    }

    [Fact]
    public async Task McpHeader_parameters_travel_as_Mcp_Param_headers_that_the_server_checks_M26_HTTP_XMCP()
    {
        // The server refuses (-32020) a 2026 call whose Mcp-Param-* headers are missing or differ from the body.
        Assert.True(_client.IsPerRequest);
        var route = (await _client.EnumerateToolsAsync().ToListAsync()).Single(t => t.Name == "route");
        Assert.Equal("Region", route.InputSchema.GetProperty("properties").GetProperty("region").GetProperty("x-mcp-header").GetString());
        Assert.Equal("zürich/3/True/n", Results.Text(await _client.CallToolAsync("route", Args("""{"region":"zürich","priority":3,"dryRun":true,"note":"n"}"""))));
    }

    [Fact]
    public async Task Tools_page_by_the_configured_page_size()
    {
        var first = await _client.ListToolsAsync();
        Assert.Equal(3, first.Tools.Count);
        Assert.NotNull(first.NextCursor);
        var all = new List<Tool>();
        await foreach (var tool in _client.EnumerateToolsAsync())
        {
            all.Add(tool);
        }

        Assert.Contains(all, t => t.Name == "same_scope");
        Assert.Equal(all.Count, all.Select(t => t.Name).Distinct().Count());
    }

    [Fact]
    public async Task Resources_and_prompts_work_over_http()
    {
        var book = Assert.IsType<TextResourceContents>(Assert.Single((await _client.ReadResourceAsync("library://books/2")).Contents));
        Assert.Equal("""{"id":2,"title":"Book 2","authors":["Ann","Bo"]}""", book.Text);
        var prompt = await _client.GetPromptAsync("summarize", new Dictionary<string, string> { ["topic"] = "HTTP" });
        Assert.Equal("Hello, reader! Summarise HTTP in 50 words.", ((TextContentBlock)Assert.Single(prompt.Messages).Content).Text);
    }

    private static Dictionary<string, System.Text.Json.JsonElement> Args(string json) =>
        System.Text.Json.JsonSerializer.Deserialize(json, ArgumentsContext.Default.DictionaryStringJsonElement)!;
}

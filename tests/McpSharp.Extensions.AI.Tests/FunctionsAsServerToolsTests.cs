using System.ComponentModel;
using System.Text.Json;
using McpSharp.Client;
using McpSharp.Protocol;
using McpSharp.Server;
using McpSharp.Transports.InMemory;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace McpSharp.Extensions.AI.Tests;

/// <summary>Existing AIFunctions (made by AIFunctionFactory) served as MCP tools, and called by an McpClient.</summary>
public sealed class FunctionsAsServerToolsTests : IAsyncLifetime
{
    private readonly CancellationTokenSource _stop = new();
    private IHost _host = null!;
    private McpClient _client = null!;
    private Task _run = Task.CompletedTask;

    public sealed record Forecast(string City, double TemperatureC);

    public async Task InitializeAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton(new Greeter("Hello"));
        builder.Services.AddMcpServer().WithAIFunctions(
            AIFunctionFactory.Create(([Description("The city")] string city) => new Forecast(city, 4.5), "forecast", "The forecast for a city."),
            AIFunctionFactory.Create((string name, IServiceProvider services) => services.GetRequiredService<Greeter>().Greet(name), "greet"),
            AIFunctionFactory.Create(string () => throw new InvalidOperationException("no luck"), "fail"),
            AIFunctionFactory.Create(IEnumerable<AIContent> () => [new TextContent("a picture:"), new DataContent(new byte[] { 1, 2, 3 }, "image/png")], "picture"),
            AIFunctionFactory.Create(async (AIFunctionArguments arguments) =>
            {
                var context = (McpRequestContext)arguments.Context![typeof(McpRequestContext)]!;
                context.Progress.Report(new ProgressNotificationValue(1, 1));
                await Task.Yield();
                return context.Client.ClientInfo?.Name;
            }, "who_calls"));
        _host = builder.Build();
        var server = _host.Services.GetRequiredService<McpServer>();
        var (client, serverSide) = InMemoryTransport.CreatePair();
        _run = server.CreateSession(serverSide).RunAsync(_stop.Token);
        _client = await McpClient.ConnectAsync(client, new McpClientOptions { ClientInfo = new Implementation { Name = "bridge-test", Version = "1" }, ProtocolMode = ProtocolMode.Legacy });
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _stop.CancelAsync();
        await _run.ContinueWith(static _ => { }, TaskScheduler.Default);
        _host.Dispose();
        _stop.Dispose();
    }

    [Fact]
    public async Task A_function_is_listed_with_its_schemas_and_its_record_result_is_structured_content()
    {
        var tools = (await _client.ListToolsAsync()).Tools.ToDictionary(t => t.Name);
        var forecast = tools["forecast"];
        Assert.Equal("The forecast for a city.", forecast.Description);
        Assert.Equal("The city", forecast.InputSchema.GetProperty("properties").GetProperty("city").GetProperty("description").GetString());
        Assert.Equal("object", forecast.OutputSchema!.Value.GetProperty("type").GetString());
        Assert.Null(tools["greet"].OutputSchema); // a string is not an object: no output schema

        var result = await _client.CallToolAsync("forecast", Arguments("""{"city":"Oslo"}"""));

        Assert.Equal("Oslo", result.StructuredContent!.Value.GetProperty("city").GetString());
        Assert.Equal(4.5, result.StructuredContent.Value.GetProperty("temperatureC").GetDouble());
        Assert.Equal(result.StructuredContent.Value.GetRawText(), Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text);
    }

    [Fact]
    public async Task Services_reach_the_function_and_a_string_result_is_text()
    {
        var result = await _client.CallToolAsync("greet", Arguments("""{"name":"Ada"}"""));

        Assert.Equal("Hello, Ada", Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text);
        Assert.Null(result.IsError);
    }

    [Fact]
    public async Task A_function_that_throws_is_a_tool_error()
    {
        var result = await _client.CallToolAsync("fail");

        Assert.True(result.IsError);
    }

    [Fact]
    public async Task Contents_become_blocks_and_the_request_context_is_in_the_arguments()
    {
        var picture = await _client.CallToolAsync("picture");
        Assert.Equal("a picture:", Assert.IsType<TextContentBlock>(picture.Content[0]).Text);
        var image = Assert.IsType<ImageContentBlock>(picture.Content[1]);
        Assert.Equal(("image/png", Convert.ToBase64String([1, 2, 3])), (image.MimeType, image.Data));

        var reports = new List<ProgressNotificationValue>();
        var who = await _client.CallToolAsync("who_calls", progress: new Progress(reports.Add));
        Assert.Equal("bridge-test", Assert.IsType<TextContentBlock>(Assert.Single(who.Content)).Text);
        Assert.Single(reports);
    }

    private static Dictionary<string, JsonElement> Arguments(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
    }

    private sealed class Progress(Action<ProgressNotificationValue> report) : IProgress<ProgressNotificationValue>
    {
        public void Report(ProgressNotificationValue value) => report(value);
    }
}

public sealed class Greeter(string greeting)
{
    public string Greet(string name) => $"{greeting}, {name}";
}

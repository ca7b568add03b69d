using System.Text.Json;
using McpSharp.Client;
using McpSharp.Protocol;
#if (UseHttp)
using System.Diagnostics;
using McpSharp.Transports.Http;
#else
using McpSharp.Transports.Stdio;
#endif

namespace McpServer1.Tests;

/// <summary>Starts the built server as a process, connects an MCP client, lists the tools and calls them.</summary>
public sealed class SmokeTests
{
    private static readonly string Server = Path.Combine(AppContext.BaseDirectory, "McpServer1.dll");

    [Fact]
    public async Task The_server_lists_its_tools_and_answers_a_call()
    {
#if (UseHttp)
        var start = new ProcessStartInfo("dotnet", [Server, "--urls", "http://127.0.0.1:0"]) { RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        try
        {
            var endpoint = await ListeningAddressAsync(process);
            await using var client = await McpClient.ConnectAsync(new StreamableHttpClientTransport(new HttpClientTransportOptions { Endpoint = endpoint }));
            await AssertToolsAsync(client);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
#else
        var options = new StdioClientTransportOptions { Command = "dotnet" };
        options.Arguments.Add(Server);
        await using var client = await McpClient.ConnectAsync(new StdioClientTransport(options));
        await AssertToolsAsync(client);
#endif
    }

    private static async Task AssertToolsAsync(McpClient client)
    {
        var tools = (await client.ListToolsAsync()).Tools;
        Assert.Contains(tools, t => t.Name == "echo");
        Assert.Contains(tools, t => t.Name == "get_forecast" && t.OutputSchema is not null);

        var echo = await client.CallToolAsync("echo", new Dictionary<string, JsonElement> { ["message"] = JsonDocument.Parse("\"hi\"").RootElement });
        Assert.Equal("Echo: hi", Assert.IsType<TextContentBlock>(Assert.Single(echo.Content)).Text);

        var forecast = await client.CallToolAsync("get_forecast", new Dictionary<string, JsonElement> { ["city"] = JsonDocument.Parse("\"Oslo\"").RootElement });
        Assert.Equal("Oslo", forecast.StructuredContent!.Value.GetProperty("city").GetString());
    }
#if (UseHttp)

    // The host logs "Now listening on: http://127.0.0.1:PORT" once Kestrel is bound.
    private static async Task<Uri> ListeningAddressAsync(Process process)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            int at = line.IndexOf("Now listening on: ", StringComparison.Ordinal);
            if (at >= 0)
            {
                _ = process.StandardOutput.ReadToEndAsync();
                return new Uri(new Uri(line[(at + "Now listening on: ".Length)..].Trim()), "mcp");
            }
        }

        throw new InvalidOperationException("The server ended before it listened.");
    }
#endif
}

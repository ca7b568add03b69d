using System.Text.Json;
using McpSharp.Client;
using McpSharp.Protocol;
using McpSharp.Transports.Http;

// The client program the official MCP conformance suite launches: the mock server's URL is the last argument, the
// scenario is in MCP_CONFORMANCE_SCENARIO. Exit code 0 when the scenario's steps ran; the suite judges the checks.
if (args.Length == 0)
{
    Console.Error.WriteLine("Usage: ConformanceClient <server-url>   (scenario in MCP_CONFORMANCE_SCENARIO)");
    return 2;
}

string scenario = Environment.GetEnvironmentVariable("MCP_CONFORMANCE_SCENARIO") ?? "initialize";
var endpoint = new Uri(args[^1]);
var options = new McpClientOptions
{
    ClientInfo = new Implementation { Name = "mcpsharp-conformance-client", Version = "1.0.0" },

    // Accept every form with nothing filled in: the client applies the schema's defaults (SEP-1034).
    ElicitationHandler = static (_, _) => ValueTask.FromResult(new ElicitResult { Action = "accept", Content = [] }),
};

await using var client = await McpClient.ConnectAsync(new StreamableHttpClientTransport(new HttpClientTransportOptions { Endpoint = endpoint }), options);
Console.Error.WriteLine($"Connected to {client.ServerInfo.Name} ({client.ProtocolVersion}); scenario {scenario}");
switch (scenario)
{
    case "initialize":
        await client.ListToolsAsync();
        break;

    case "tools_call":
        await foreach (var tool in client.EnumerateToolsAsync())
        {
            if (tool.Name == "add_numbers")
            {
                var arguments = JsonSerializer.Deserialize("""{"a":5,"b":3}""", McpJsonContext.Default.DictionaryStringJsonElement)!;
                var result = await client.CallToolAsync(tool.Name, arguments);
                Console.Error.WriteLine(((TextContentBlock)result.Content[0]).Text);
            }
        }

        break;

    case "elicitation-sep1034-client-defaults":
        await client.CallToolAsync("test_client_elicitation_defaults");
        break;

    case "sse-retry":
        var reconnect = await client.CallToolAsync("test_reconnection");
        Console.Error.WriteLine(((TextContentBlock)reconnect.Content[0]).Text);
        break;

    default:
        Console.Error.WriteLine($"Unknown scenario '{scenario}'.");
        return 1;
}

return 0;

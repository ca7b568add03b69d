using System.Text.Json;
using McpSharp.Client;
using McpSharp.Protocol;
using McpSharp.Transports.Http;

// The client program the official MCP conformance suite launches: the mock server's URL is the last argument, the
// scenario is in MCP_CONFORMANCE_SCENARIO, the wire version in MCP_CONFORMANCE_PROTOCOL_VERSION (it decides the era:
// a session up to 2025-11-25, per-request _meta from 2026-07-28), a scenario's inputs in MCP_CONFORMANCE_CONTEXT. Exit
// code 0 when the scenario's steps ran; the suite judges the checks.
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

    // Without a version from the suite, the client's own choice (probe, then fall back).
    ProtocolVersion = Environment.GetEnvironmentVariable("MCP_CONFORMANCE_PROTOCOL_VERSION") is { Length: > 0 } version ? version : null,

    // Accept every form with nothing filled in: the client applies the schema's defaults (SEP-1034).
    ElicitationHandler = static (_, _) => ValueTask.FromResult(new ElicitResult { Action = "accept", Content = [] }),
    SamplingHandler = static (_, _) => ValueTask.FromResult(new CreateMessageResult { Role = Role.Assistant, Model = "conformance", Content = [new TextContentBlock("ok")] }),
    Roots = [new Root { Uri = "file:///conformance", Name = "conformance" }],
};

using var oauth = scenario.StartsWith("auth/", StringComparison.Ordinal) ? ConformanceAuthorization.Create(endpoint) : null;
var transportOptions = new HttpClientTransportOptions { Endpoint = endpoint, AccessTokenProvider = oauth is null ? null : oauth.GetTokenAsync };
McpClient client;
try
{
    client = await McpClient.ConnectAsync(new StreamableHttpClientTransport(transportOptions), options);
}
catch (Exception e) when (oauth is not null)
{
    // The scenarios that test a refusal expect the client to stop; its reason goes to stderr.
    Console.Error.WriteLine($"Authorization stopped: {Describe(e)}");
    return 1;
}

await using var _ = client;
Console.Error.WriteLine($"Connected to {client.ServerInfo.Name} ({client.ProtocolVersion}); scenario {scenario}");
switch (scenario)
{
    case var auth when auth.StartsWith("auth/", StringComparison.Ordinal):
        // Two authorized requests at least: a step-up (tools/call needs more scope) and a move to another authorization
        // server both show on the second.
        try
        {
            await client.ListToolsAsync();
            await client.CallToolAsync("test-tool");
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"Authorization stopped: {Describe(e)}");
            return 1;
        }

        break;

    case "initialize":
    case "request-metadata":
    case "json-schema-ref-no-deref":
        await client.ListToolsAsync();
        break;

    case "tools_call":
        await foreach (var tool in client.EnumerateToolsAsync())
        {
            if (tool.Name == "add_numbers")
            {
                var result = await client.CallToolAsync(tool.Name, Args("""{"a":5,"b":3}"""));
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

    case "sep-2322-client-request-state":
        // Input rounds run inside each call; a call made meanwhile carries none of them (isolation).
        await client.ListToolsAsync();
        await Task.WhenAll(client.CallToolAsync("test_mrtr_echo_state"), client.CallToolAsync("test_mrtr_unrelated"));
        await client.CallToolAsync("test_mrtr_no_state");
        await client.CallToolAsync("test_mrtr_no_result_type");
        break;

    case "http-standard-headers":
        await foreach (var tool in client.EnumerateToolsAsync())
        {
            await client.CallToolAsync(tool.Name);
        }

        var resources = await client.ListResourcesAsync();
        foreach (var resource in resources.Resources)
        {
            await client.ReadResourceAsync(resource.Uri);
        }

        await foreach (var prompt in client.EnumeratePromptsAsync())
        {
            await client.GetPromptAsync(prompt.Name);
        }

        break;

    case "http-custom-headers":
        // The tools first, so the client knows which arguments to mirror; then each call of the context, as given.
        await client.ListToolsAsync();
        using (var context = JsonDocument.Parse(Environment.GetEnvironmentVariable("MCP_CONFORMANCE_CONTEXT") ?? "{}"))
        {
            foreach (var call in context.RootElement.GetProperty("toolCalls").EnumerateArray())
            {
                await client.CallToolAsync(call.GetProperty("name").GetString()!, Args(call.GetProperty("arguments").GetRawText()));
            }
        }

        break;

    case "http-invalid-tool-headers":
        // Tools with invalid x-mcp-header annotations never reach this list, so none of them is called.
        await foreach (var tool in client.EnumerateToolsAsync())
        {
            await client.CallToolAsync(tool.Name, Args("""{"region":"us-west1"}"""));
        }

        break;

    case "json-schema-2020-12-preservation":
        var tools = await client.EnumerateToolsAsync().ToListAsync();
        var focal = tools.Single(t => t.Name == "json_schema_2020_12_tool").InputSchema;
        await client.CallToolAsync("json_schema_echo", new Dictionary<string, JsonElement> { ["schema"] = focal });
        break;

    default:
        Console.Error.WriteLine($"Unknown scenario '{scenario}'.");
        return 1;
}

return 0;

static Dictionary<string, JsonElement> Args(string json) => JsonSerializer.Deserialize(json, McpJsonContext.Default.DictionaryStringJsonElement)!;

// The message and those of its inner exceptions, so a stop for an I/O fault shows its cause, not just "An error occurred".
static string Describe(Exception e)
{
    var text = new System.Text.StringBuilder(e.Message);
    for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
    {
        text.Append(" <- ").Append(inner.GetType().Name).Append(": ").Append(inner.Message);
    }

    return text.ToString();
}

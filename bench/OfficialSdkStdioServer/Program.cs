using System.Text.Json;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

// The official C# SDK's stdio server with an echo tool registered through its low-level handlers (its fastest path).
var schema = JsonDocument.Parse("""{"type":"object","properties":{"text":{"type":"string"}},"required":["text"]}""").RootElement.Clone();
var options = new McpServerOptions
{
    ServerInfo = new Implementation { Name = "official-stdio", Version = "1.0.0" },
    Capabilities = new ServerCapabilities { Tools = new ToolsCapability() },
    Handlers = new McpServerHandlers
    {
        ListToolsHandler = (_, _) => ValueTask.FromResult(new ListToolsResult { Tools = [new Tool { Name = "echo", Description = "Echoes the text.", InputSchema = schema }] }),
        CallToolHandler = (request, _) => ValueTask.FromResult(new CallToolResult { Content = [new TextContentBlock { Text = request.Params!.Arguments!["text"].GetString()! }] }),
    },
};
await using var server = McpServer.Create(new StdioServerTransport("official-stdio"), options);
await server.RunAsync();

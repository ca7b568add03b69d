using System.Text.Json;
using McpSharp.Protocol;
using McpSharp.Server;
using McpSharp.Transports.Stdio;

// McpSharp's stdio server with the echo tool of bench/OfficialSdkStdioServer, registered the same low-level way.
var server = new McpServer(new McpServerOptions { ServerInfo = new Implementation { Name = "mcpsharp-stdio", Version = "1.0.0" } });
server.Tools.Add(
    new Tool { Name = "echo", Description = "Echoes the text.", InputSchema = JsonDocument.Parse("""{"type":"object","properties":{"text":{"type":"string"}},"required":["text"]}""").RootElement.Clone() },
    static context => ValueTask.FromResult(CallToolResult.FromText(context.Params.Arguments!["text"].GetString()!)));
await server.RunStdioAsync();

using System.Text.Json;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

// The official C# SDK's HTTP server for the load harness: the echo tool through its low-level handlers (its fastest
// path), logging at Warning as a production service would run it.
//   --mode sse (stateful: sessions, SSE responses, the SDK's only POST response form) | stateless
// Serves POST /mcp on 127.0.0.1 (a free port) and prints "LISTENING <url>".
string mode = args.Length == 2 && args[0] == "--mode" ? args[1] : "sse";
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.UseUrls("http://127.0.0.1:0");

var schema = JsonDocument.Parse("""{"type":"object","properties":{"text":{"type":"string"}},"required":["text"]}""").RootElement.Clone();
builder.Services.AddMcpServer(o =>
    {
        o.ServerInfo = new Implementation { Name = "official-load", Version = "1.0.0" };
        o.Capabilities = new ServerCapabilities { Tools = new ToolsCapability() };
        o.Handlers = new McpServerHandlers
        {
            ListToolsHandler = (_, _) => ValueTask.FromResult(new ListToolsResult { Tools = [new Tool { Name = "echo", Description = "Echoes the text.", InputSchema = schema }] }),
            CallToolHandler = (request, _) => ValueTask.FromResult(new CallToolResult { Content = [new TextContentBlock { Text = request.Params!.Arguments!["text"].GetString()! }] }),
        };
    })
    .WithHttpTransport(o =>
    {
        o.SessionMode = mode == "stateless" ? HttpServerSessionMode.Stateless : HttpServerSessionMode.Stateful;
    });

var app = builder.Build();
app.MapMcp("/mcp");
app.Lifetime.ApplicationStarted.Register(() => Console.WriteLine($"LISTENING {app.Urls.First()}/mcp"));
await app.RunAsync();

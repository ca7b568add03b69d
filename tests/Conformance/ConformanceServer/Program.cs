using ConformanceServer;
using McpSharp.AspNetCore;
using McpSharp.Protocol;

// The fixture server the official MCP conformance suite drives (npm @modelcontextprotocol/conformance).
//   dotnet ConformanceServer.dll [--urls http://127.0.0.1:PORT]      MCP at /mcp; prints "LISTENING <url>" when ready
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
if (string.IsNullOrEmpty(builder.Configuration["urls"]))
{
    builder.WebHost.UseUrls("http://127.0.0.1:0");
}

builder.Services.AddMcpServer(options => options.ServerInfo = new Implementation { Name = "mcpsharp-conformance-server", Version = "1.0.0" })
    .WithHttpTransport()
    .WithServer(Fixture.Register);

var app = builder.Build();
app.MapMcp("/mcp");
app.Lifetime.ApplicationStarted.Register(() =>
{
    foreach (string url in app.Urls)
    {
        Console.WriteLine($"LISTENING {url}/mcp");
    }
});
await app.RunAsync();

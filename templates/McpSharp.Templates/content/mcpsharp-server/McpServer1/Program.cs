using McpServer1;
#if (UseHttp)
using McpSharp.AspNetCore;

// Streamable HTTP at /mcp (http://127.0.0.1:3001 unless --urls or ASPNETCORE_URLS says otherwise).
var builder = WebApplication.CreateSlimBuilder(args);
if (string.IsNullOrEmpty(builder.Configuration["urls"]))
{
    builder.WebHost.UseUrls("http://127.0.0.1:3001");
}

builder.Services.AddMcpServer(options => options.ServerInfo = new() { Name = "McpServer1", Version = "1.0.0" })
    .WithTools(typeof(Tools))
    .WithHttpTransport();

var app = builder.Build();
app.MapMcp("/mcp");
await app.RunAsync();
#else
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// stdio: the client starts this process and speaks MCP on its stdin and stdout (logs go to stderr).
var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddMcpServer(options => options.ServerInfo = new() { Name = "McpServer1", Version = "1.0.0" })
    .WithTools(typeof(Tools))
    .WithStdioTransport();

await builder.Build().RunAsync();
#endif

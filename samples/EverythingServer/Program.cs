using EverythingServer;
using McpSharp.Protocol;
using McpSharp.Server;
using McpSharp.Transports.Stdio;
using Microsoft.Extensions.Logging;

// The McpSharp sample: every server feature on one server.
//   dotnet run --project samples/EverythingServer -- --stdio [--page-size N]
// Serves MCP over stdin/stdout; stdout carries nothing but MCP messages, all logging goes to stderr.
int pageSize = 10;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--stdio":
            break;
        case "--page-size" when i + 1 < args.Length && int.TryParse(args[i + 1], out int size) && size > 0:
            pageSize = size;
            i++;
            break;
        default:
            Console.Error.WriteLine($"Unknown argument '{args[i]}'. Usage: EverythingServer [--stdio] [--page-size N]");
            return 2;
    }
}

using var loggerFactory = LoggerFactory.Create(logging => logging
    .SetMinimumLevel(LogLevel.Information)
    .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace));

var server = new McpServer(
    new McpServerOptions
    {
        ServerInfo = new Implementation { Name = "mcpsharp-everything", Title = "McpSharp Everything Server", Version = "1.0.0" },
        Instructions = "A demonstration server: tools, resources, templates, prompts, completions, logging, progress, sampling and elicitation.",
        PageSize = pageSize,
    },
    loggerFactory);

SampleTools.Register(server);
SampleResources.Register(server);
SamplePrompts.Register(server);

await server.RunStdioAsync();
return 0;

using EverythingServer;
using McpSharp.AspNetCore;
using McpSharp.Server;
using McpSharp.Transports.Stdio;

// The McpSharp sample: every server feature on one server.
//   dotnet run --project samples/EverythingServer                      Streamable HTTP on http://127.0.0.1:3001/mcp
//   dotnet run --project samples/EverythingServer -- --urls http://127.0.0.1:8080
//   dotnet run --project samples/EverythingServer -- --stdio           stdio (stdout carries only MCP; logs go to stderr)
// Options: --page-size N (items per list page, default 10), --stateless, --json-response (HTTP only).
var settings = SampleSettings.Parse(args);
if (settings is null)
{
    Console.Error.WriteLine("Usage: EverythingServer [--stdio] [--page-size N] [--stateless] [--json-response] [ASP.NET Core options such as --urls]");
    return 2;
}

if (settings.Stdio)
{
    using var loggerFactory = Microsoft.Extensions.Logging.LoggerFactory.Create(logging => logging
        .SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Information)
        .AddConsole(console => console.LogToStandardErrorThreshold = Microsoft.Extensions.Logging.LogLevel.Trace));
    var server = new McpServer(SampleServer.Options(settings), loggerFactory);
    SampleServer.Register(server);
    SampleLog.ServingStdio(loggerFactory.CreateLogger("EverythingServer"));
    await server.RunStdioAsync();
    return 0;
}

var builder = WebApplication.CreateSlimBuilder(settings.AspNetCoreArgs);
if (string.IsNullOrEmpty(builder.Configuration["urls"]))
{
    builder.WebHost.UseUrls("http://127.0.0.1:3001");
}

builder.Services.AddMcpServer(options =>
    {
        var defaults = SampleServer.Options(settings);
        options.ServerInfo = defaults.ServerInfo;
        options.Instructions = defaults.Instructions;
        options.PageSize = defaults.PageSize;
    })
    .WithHttpTransport(http =>
    {
        http.Stateless = settings.Stateless;
        http.JsonResponse = settings.JsonResponse;
    })
    .WithServer(SampleServer.Register);

var app = builder.Build();
app.MapMcp("/mcp");
app.Lifetime.ApplicationStarted.Register(() => SampleLog.ServingHttp(app.Logger, string.Join(", ", app.Urls.Select(u => u + "/mcp"))));
await app.RunAsync();
return 0;

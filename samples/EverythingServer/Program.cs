using EverythingServer;
using McpSharp.AspNetCore;
using McpSharp.Diagnostics;
using McpSharp.Redis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

// The McpSharp sample: every server feature on one server.
//   dotnet run --project samples/EverythingServer                      Streamable HTTP on http://127.0.0.1:3001/mcp
//   dotnet run --project samples/EverythingServer -- --urls http://127.0.0.1:8080
//   dotnet run --project samples/EverythingServer -- --stdio           stdio (stdout carries only MCP; logs go to stderr)
// Options: --page-size N (items per list page, default 10), --stateless, --json-response (HTTP only),
// --redis HOST:PORT (HTTP only: one node of a cluster that shares its sessions in Redis; or Mcp:Redis:Configuration),
// --otel (HTTP only: MCP traces and metrics, per the OpenTelemetry MCP conventions, to the console).
// Configuration (appsettings.json, environment variables such as Mcp__PageSize) binds to the server's options.
var settings = SampleSettings.Parse(args);
if (settings is null)
{
    Console.Error.WriteLine("Usage: EverythingServer [--stdio] [--page-size N] [--stateless] [--json-response] [--redis HOST:PORT] [--otel] [ASP.NET Core options such as --urls]");
    return 2;
}

if (settings.Stdio)
{
    // A generic host: the server runs while stdin is open, and the host stops when the client hangs up.
    var host = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = settings.AspNetCoreArgs, ContentRootPath = AppContext.BaseDirectory });
    host.Services.AddSampleServer(settings).WithStdioTransport();
    using var app = host.Build();
    SampleLog.ServingStdio(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("EverythingServer"));
    await app.RunAsync();
    return 0;
}

// appsettings.json beside the binary (the ASP.NET Core template's log levels: a log line per request halves throughput).
var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = settings.AspNetCoreArgs, ContentRootPath = AppContext.BaseDirectory });
if (string.IsNullOrEmpty(builder.Configuration["urls"]))
{
    builder.WebHost.UseUrls("http://127.0.0.1:3001");
}

var mcp = builder.Services.AddSampleServer(settings)
    .WithHttpTransport(http =>
    {
        http.SessionMode = settings.Stateless ? McpSessionMode.Stateless : McpSessionMode.Hybrid;
        http.JsonResponse = settings.JsonResponse;
    })
    .BindHttpConfiguration("Mcp:Http");
if (settings.Redis is { } redis)
{
    mcp.WithRedis(redis);
}
else if (!string.IsNullOrEmpty(builder.Configuration["Mcp:Redis:Configuration"]))
{
    mcp.WithRedisFromConfiguration("Mcp:Redis");
}

if (settings.Otel)
{
    builder.Services.AddOpenTelemetry()
        .WithTracing(tracing => tracing.AddSource(McpDiagnostics.ActivitySourceName).AddConsoleExporter())
        .WithMetrics(metrics => metrics.AddMeter(McpDiagnostics.MeterName).AddConsoleExporter());
}

var web = builder.Build();
web.MapMcp("/mcp");
web.Lifetime.ApplicationStarted.Register(() => SampleLog.ServingHttp(web.Logger, string.Join(", ", web.Urls.Select(u => u + "/mcp"))));
await web.RunAsync();
return 0;

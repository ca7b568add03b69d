using McpSharp.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace McpSharp.Cli.Tests;

/// <summary>An McpSharp HTTP server in the test process on 127.0.0.1 (a free port), with a middleware of the test's in front of it.</summary>
internal static class McpSharpApp
{
    public static async Task<WebApplication> StartAsync(Func<HttpContext, RequestDelegate, Task> inFront, Action<McpSharp.Server.McpServer>? server = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var mcp = builder.Services.AddMcpServer().WithHttpTransport();
        if (server is not null)
        {
            mcp.WithServer(server);
        }

        var app = builder.Build();
        app.Use(inFront);
        app.MapMcp("/mcp");
        await app.StartAsync();
        return app;
    }
}

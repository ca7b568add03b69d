using McpSharp.AspNetCore;
using McpSharp.Protocol;
using McpSharp.Tests.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace McpSharp.Interop.Tests;

/// <summary>The conformance fixture served by McpSharp over Streamable HTTP on 127.0.0.1, port 0.</summary>
public sealed class FixtureHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FixtureHost(WebApplication app, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }

    public static async Task<FixtureHost> StartAsync()
    {
        var builder = LoopbackHost.CreateBuilder();
        builder.Services.AddMcpServer(o => o.ServerInfo = new Implementation { Name = "mcpsharp-conformance-server", Version = "1.0.0" })
            .WithHttpTransport()
            .WithServer(ConformanceServer.Fixture.Register);
        var app = builder.Build();
        app.MapMcp("/mcp");
        return new FixtureHost(app, await LoopbackHost.StartAsync(app));
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }
}

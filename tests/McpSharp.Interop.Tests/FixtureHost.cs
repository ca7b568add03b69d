using McpSharp.AspNetCore;
using McpSharp.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

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
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddMcpServer(o => o.ServerInfo = new Implementation { Name = "mcpsharp-conformance-server", Version = "1.0.0" })
            .WithHttpTransport()
            .WithServer(ConformanceServer.Fixture.Register);
        var app = builder.Build();
        app.MapMcp("/mcp");
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new FixtureHost(app, new Uri(address + "/mcp"));
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }
}

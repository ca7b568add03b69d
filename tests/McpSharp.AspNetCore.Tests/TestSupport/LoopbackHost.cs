using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace McpSharp.Tests.Shared;

/// <summary>
/// A real Kestrel for tests: bound to 127.0.0.1 on a port the system picks, no logging. Shared (linked) by every test
/// project that serves HTTP.
/// </summary>
internal static class LoopbackHost
{
    /// <summary>A slim builder bound to <paramref name="url"/> (default 127.0.0.1, port 0).</summary>
    public static WebApplicationBuilder CreateBuilder(string url = "http://127.0.0.1:0")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.ClearProviders();
        return builder;
    }

    /// <summary>Starts the app and returns <paramref name="path"/> on the address it actually listens on.</summary>
    public static async Task<Uri> StartAsync(WebApplication app, string path = "/mcp")
    {
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address + path);
    }
}

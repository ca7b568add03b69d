using McpSharp.Server;
using Microsoft.Extensions.DependencyInjection;

namespace McpSharp.Hosting;

internal sealed class McpServerBuilder(IServiceCollection services) : IMcpServerBuilder
{
    public IServiceCollection Services { get; } = services;
}

/// <summary>One step that runs on the server when the container builds it (registrations in order).</summary>
internal sealed class McpServerConfigurator(Action<McpServer, IServiceProvider> configure)
{
    public void Configure(McpServer server, IServiceProvider services) => configure(server, services);
}

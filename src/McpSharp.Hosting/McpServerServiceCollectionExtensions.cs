using System.Diagnostics.Metrics;
using McpSharp.Hosting;
using McpSharp.Server;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers an MCP server in a service collection.</summary>
public static class McpServerServiceCollectionExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="McpServer"/> built from <see cref="McpServerOptions"/> (configure them here, or
    /// bind them with <see cref="McpServerBuilderExtensions.BindConfiguration"/>), the <see cref="TimeProvider"/>
    /// registered in the container (the system clock unless another is registered), and logging. Calling it again returns a builder for the same
    /// server.
    /// </summary>
    public static IMcpServerBuilder AddMcpServer(this IServiceCollection services, Action<McpServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<McpServerOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(static sp =>
        {
            var options = sp.GetRequiredService<IOptions<McpServerOptions>>().Value;
            options.MeterFactory ??= sp.GetService<IMeterFactory>();
            var server = new McpServer(
                options,
                sp.GetService<ILoggerFactory>(),
                sp.GetService<TimeProvider>() ?? TimeProvider.System);
            foreach (var configurator in sp.GetServices<McpServerConfigurator>())
            {
                configurator.Configure(server, sp);
            }

            return server;
        });
        return new McpServerBuilder(services);
    }
}

using McpSharp.AspNetCore.Http;
using McpSharp.AspNetCore.Sessions;
using McpSharp.AspNetCore.Streams;
using McpSharp.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace McpSharp.AspNetCore;

/// <summary>Registers an MCP server and its Streamable HTTP transport.</summary>
public static class McpServiceCollectionExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="McpServer"/> built from <see cref="McpServerOptions"/> (configure them here or
    /// bind them from configuration), the <see cref="TimeProvider"/> registered in the container (or the system clock),
    /// and logging. Map the endpoint with <see cref="McpEndpointRouteBuilderExtensions.MapMcp"/>.
    /// </summary>
    public static IMcpServerBuilder AddMcpServer(this IServiceCollection services, Action<McpServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<McpServerOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.AddOptions<McpHttpOptions>();
        services.TryAddSingleton(static sp =>
        {
            var server = new McpServer(
                sp.GetRequiredService<IOptions<McpServerOptions>>().Value,
                sp.GetService<ILoggerFactory>(),
                sp.GetService<TimeProvider>() ?? TimeProvider.System);
            foreach (var configureServer in sp.GetServices<ServerConfigurator>())
            {
                configureServer.Configure(server);
            }

            return server;
        });
        services.TryAddSingleton<IMcpEventStore, InMemoryEventStore>();
        services.TryAddSingleton(static sp => new SessionStore(
            sp.GetRequiredService<McpServer>(),
            sp.GetRequiredService<IOptions<McpHttpOptions>>(),
            sp.GetRequiredService<IMcpEventStore>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetService<ILoggerFactory>() ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance));
        return new McpServerBuilder(services);
    }

    /// <summary>Configures the Streamable HTTP transport (stateless mode, JSON responses, limits, origins).</summary>
    public static IMcpServerBuilder WithHttpTransport(this IMcpServerBuilder builder, Action<McpHttpOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (configure is not null)
        {
            builder.Services.Configure(configure);
        }

        return builder;
    }

    /// <summary>Runs <paramref name="configure"/> on the server when it is built: register tools, resources, prompts.</summary>
    public static IMcpServerBuilder WithServer(this IMcpServerBuilder builder, Action<McpServer> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddSingleton(new ServerConfigurator(configure));
        return builder;
    }

    internal sealed class ServerConfigurator(Action<McpServer> configure)
    {
        public void Configure(McpServer server) => configure(server);
    }
}

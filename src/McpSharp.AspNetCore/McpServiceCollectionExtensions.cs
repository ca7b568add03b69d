using McpSharp.AspNetCore.Sessions;
using McpSharp.AspNetCore.Streams;
using McpSharp.Hosting;
using McpSharp.Server;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace McpSharp.AspNetCore;

/// <summary>Adds the Streamable HTTP transport to an MCP server registered with <c>AddMcpServer</c>.</summary>
public static class McpServiceCollectionExtensions
{
    /// <summary>
    /// Serves the server over Streamable HTTP (map the endpoint with <see cref="McpEndpointRouteBuilderExtensions.MapMcp"/>):
    /// registers the session directory and the message bus between nodes (in memory, unless another
    /// <see cref="IMcpSessionDirectory"/> and <see cref="IMcpMessageBus"/> are registered), the
    /// event store used for resumability (bounded, in memory, unless another <see cref="IMcpEventStore"/> is registered)
    /// and <see cref="McpHttpOptions"/> (stateless mode, JSON responses,
    /// limits, origins), which <paramref name="configure"/> may change.
    /// </summary>
    public static IMcpServerBuilder WithHttpTransport(this IMcpServerBuilder builder, Action<McpHttpOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<McpHttpOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.Services.TryAddSingleton<IMcpEventStore, InMemoryEventStore>();
        builder.Services.TryAddSingleton(static sp => new KeepAliveHeartbeat(sp.GetRequiredService<IOptions<McpHttpOptions>>().Value, sp.GetService<TimeProvider>() ?? TimeProvider.System));
        builder.Services.TryAddSingleton<IMcpSessionDirectory>(static sp => new InMemorySessionDirectory(sp.GetRequiredService<IOptions<McpHttpOptions>>(), sp.GetService<TimeProvider>()));
        builder.Services.TryAddSingleton<IMcpMessageBus, InMemoryMessageBus>();
        builder.Services.TryAddSingleton(static sp => new HttpTransportMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        builder.Services.TryAddSingleton(static sp => new Http.HttpDecisionLog(
            sp.GetService<ILoggerFactory>() ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance,
            sp.GetRequiredService<HttpTransportMetrics>()));
        builder.Services.TryAddSingleton(static sp => new LiveSessions(
            sp.GetRequiredService<IMcpSessionDirectory>(),
            sp.GetRequiredService<IMcpMessageBus>(),
            sp.GetRequiredService<McpServer>(),
            sp.GetRequiredService<IOptions<McpHttpOptions>>(),
            sp.GetRequiredService<IMcpEventStore>(),
            sp.GetRequiredService<KeepAliveHeartbeat>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetService<ILoggerFactory>() ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance,
            sp.GetRequiredService<HttpTransportMetrics>()));
        return builder;
    }

    /// <summary>
    /// Seals the <c>requestState</c> of 2026-07-28 input rounds with ASP.NET Core Data Protection (registered here if it
    /// is not yet) instead of an HMAC key: every node that shares the Data Protection key ring can serve a retry. A
    /// <see cref="McpRequestStateOptions.Protector"/> set explicitly wins.
    /// </summary>
    public static IMcpServerBuilder WithDataProtectedRequestState(this IMcpServerBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddDataProtection();
        builder.Services.AddOptions<McpServerOptions>().Configure<IDataProtectionProvider>(static (options, provider) => options.RequestState.Protector ??= new DataProtectionRequestStateProtector(provider));
        return builder;
    }

    /// <summary>
    /// Binds <see cref="McpHttpOptions"/> from the configuration section at <paramref name="sectionPath"/>
    /// (<c>Mcp:Http:SessionMode</c> (Hybrid, Stateful or Stateless), <c>Mcp:Http:IdleTimeout</c>, <c>Mcp:Http:MaxSessions</c>, <c>Mcp:Http:AllowedOrigins:0</c>...).
    /// </summary>
    public static IMcpServerBuilder BindHttpConfiguration(this IMcpServerBuilder builder, string sectionPath = "Mcp:Http")
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(sectionPath);
        builder.Services.AddOptions<McpHttpOptions>().Configure<IConfiguration>((options, configuration) => Bind(options, configuration.GetSection(sectionPath)));
        return builder;
    }

    private static void Bind(McpHttpOptions options, IConfigurationSection section)
    {
        ConfigurationReader.ReadEnum<McpSessionMode>(section, nameof(options.SessionMode), v => options.SessionMode = v);
        ConfigurationReader.Read<bool>(section, nameof(options.JsonResponse), v => options.JsonResponse = v);
        ConfigurationReader.Read<TimeSpan>(section, nameof(options.IdleTimeout), v => options.IdleTimeout = v);
        ConfigurationReader.Read<int>(section, nameof(options.MaxSessions), v => options.MaxSessions = ConfigurationReader.Positive(section, nameof(options.MaxSessions), v));
        ConfigurationReader.Read<long>(section, nameof(options.MaxRequestBodySize), v => options.MaxRequestBodySize = v);
        ConfigurationReader.Read<TimeSpan>(section, nameof(options.KeepAliveInterval), v => options.KeepAliveInterval = v <= TimeSpan.Zero ? null : v);
        ConfigurationReader.Read<int>(section, nameof(options.StreamQueueCapacity), v => options.StreamQueueCapacity = ConfigurationReader.Positive(section, nameof(options.StreamQueueCapacity), v));
        ConfigurationReader.Read<bool>(section, nameof(options.EnableResumability), v => options.EnableResumability = v);
        ConfigurationReader.Read<TimeSpan>(section, nameof(options.RetryInterval), v => options.RetryInterval = v);
        ConfigurationReader.Read<bool>(section, nameof(options.EnableDnsRebindingProtection), v => options.EnableDnsRebindingProtection = v);
        foreach (string origin in ConfigurationReader.List(section, nameof(options.AllowedOrigins)))
        {
            options.AllowedOrigins.Add(origin);
        }

        foreach (string host in ConfigurationReader.List(section, nameof(options.AllowedHosts)))
        {
            options.AllowedHosts.Add(host);
        }
    }
}

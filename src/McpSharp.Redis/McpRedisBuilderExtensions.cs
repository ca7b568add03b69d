using McpSharp.AspNetCore;
using McpSharp.AspNetCore.Sessions;
using McpSharp.AspNetCore.Streams;
using McpSharp.Hosting;
using McpSharp.Server;

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace McpSharp.Redis;

/// <summary>Shares an endpoint's sessions between nodes through Redis.</summary>
public static class McpRedisBuilderExtensions
{
    /// <summary>
    /// Keeps the Streamable HTTP endpoint's sessions, stream events and messages between nodes in Redis, so that any node
    /// serves any session behind any load balancer (no sticky sessions), and a node can stop or die without losing a
    /// session or a written event; and its tasks (<see cref="RedisTaskStore"/>), so that any node answers for a task
    /// running on another. Call after <c>WithHttpTransport()</c>.
    /// </summary>
    /// <param name="builder">The server builder.</param>
    /// <param name="configuration">The StackExchange.Redis configuration string, e.g. <c>localhost:6379</c>.</param>
    /// <param name="configure">Changes the other options.</param>
    public static IMcpServerBuilder WithRedis(this IMcpServerBuilder builder, string configuration, Action<McpRedisOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(configuration);
        builder.Services.AddOptions<McpRedisOptions>().Configure(options =>
        {
            options.Configuration = configuration;
            configure?.Invoke(options);
        });
        return AddServices(builder);
    }

    /// <summary>
    /// Like <see cref="WithRedis(IMcpServerBuilder, string, Action{McpRedisOptions}?)"/>, with the options from the
    /// configuration section at <paramref name="sectionPath"/> (<c>Mcp:Redis:Configuration</c>, <c>Mcp:Redis:KeyPrefix</c>,
    /// <c>Mcp:Redis:MaxEventsPerStream</c>, <c>Mcp:Redis:OperationTimeout</c>, <c>Mcp:Redis:TaskLease</c>, <c>Mcp:Redis:MaxTasks</c>).
    /// </summary>
    public static IMcpServerBuilder WithRedisFromConfiguration(this IMcpServerBuilder builder, string sectionPath = "Mcp:Redis")
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<McpRedisOptions>().Configure<IConfiguration>((options, configuration) =>
        {
            var section = configuration.GetSection(sectionPath);
            ConfigurationReader.Read<string>(section, nameof(options.Configuration), v => options.Configuration = v);
            ConfigurationReader.Read<string>(section, nameof(options.KeyPrefix), v => options.KeyPrefix = v);
            ConfigurationReader.Read<int>(section, nameof(options.MaxEventsPerStream), v => options.MaxEventsPerStream = ConfigurationReader.Positive(section, nameof(options.MaxEventsPerStream), v));
            ConfigurationReader.Read<TimeSpan>(section, nameof(options.OperationTimeout), v => options.OperationTimeout = v);
            ConfigurationReader.Read<TimeSpan>(section, nameof(options.TaskLease), v => options.TaskLease = v);
            ConfigurationReader.Read<int>(section, nameof(options.MaxTasks), v => options.MaxTasks = ConfigurationReader.Positive(section, nameof(options.MaxTasks), v));
        });
        return AddServices(builder);
    }

    private static IMcpServerBuilder AddServices(IMcpServerBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton<IConnectionMultiplexer>(static sp =>
        {
            var options = sp.GetRequiredService<IOptions<McpRedisOptions>>().Value;
            var configuration = ConfigurationOptions.Parse(options.Configuration);
            if (!options.Configuration.Contains("abortConnect", StringComparison.OrdinalIgnoreCase))
            {
                // A node starts while Redis is down, answers 503 meanwhile, and recovers by itself when it is back.
                configuration.AbortOnConnectFail = false;
            }

            configuration.AsyncTimeout = (int)options.OperationTimeout.TotalMilliseconds;
            configuration.SyncTimeout = (int)options.OperationTimeout.TotalMilliseconds;
            configuration.ConnectTimeout = (int)options.OperationTimeout.TotalMilliseconds;
            return ConnectionMultiplexer.Connect(configuration);
        });
        services.Replace(ServiceDescriptor.Singleton<IMcpSessionDirectory>(static sp =>
        {
            var directory = new RedisSessionDirectory(
                sp.GetRequiredService<IConnectionMultiplexer>(),
                sp.GetRequiredService<IOptions<McpRedisOptions>>(),
                sp.GetRequiredService<IOptions<McpHttpOptions>>());
            directory.StartAsync().GetAwaiter().GetResult();
            return directory;
        }));
        services.Replace(ServiceDescriptor.Singleton<IMcpEventStore, RedisEventStore>());
        services.Replace(ServiceDescriptor.Singleton<IMcpMessageBus, RedisMessageBus>());

        // Tasks too: any node answers for a task that runs on another.
        services.TryAddSingleton(static sp => new RedisTaskStore(
            sp.GetRequiredService<IConnectionMultiplexer>(),
            sp.GetRequiredService<IOptions<McpRedisOptions>>(),
            sp.GetService<TimeProvider>()));
        services.AddOptions<McpServerOptions>().Configure<RedisTaskStore>(static (options, store) => options.Tasks.Store ??= store);
        return builder;
    }
}

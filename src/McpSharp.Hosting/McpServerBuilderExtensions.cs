using System.Reflection;
using McpSharp.Authoring;
using McpSharp.Hosting;
using McpSharp.Server;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds tools, resources and prompts to the server, and binds its options from configuration.</summary>
public static class McpServerBuilderExtensions
{
    /// <summary>
    /// Adds the <see cref="McpToolAttribute"/> methods of <typeparamref name="T"/>. Instance methods run on an instance
    /// resolved per call from a DI scope (the registered one, or one built from its constructor); service parameters
    /// come from the same scope.
    /// </summary>
    public static IMcpServerBuilder WithTools<T>(this IMcpServerBuilder builder) => With(builder, typeof(T), McpPrimitiveKinds.Tools);

    /// <summary>Adds the <see cref="McpToolAttribute"/> methods of <paramref name="type"/> (the form for static classes).</summary>
    public static IMcpServerBuilder WithTools(this IMcpServerBuilder builder, Type type) => With(builder, type, McpPrimitiveKinds.Tools);

    /// <summary>Adds the <see cref="McpResourceAttribute"/> methods of <typeparamref name="T"/>.</summary>
    public static IMcpServerBuilder WithResources<T>(this IMcpServerBuilder builder) => With(builder, typeof(T), McpPrimitiveKinds.Resources);

    /// <summary>Adds the <see cref="McpResourceAttribute"/> methods of <paramref name="type"/>.</summary>
    public static IMcpServerBuilder WithResources(this IMcpServerBuilder builder, Type type) => With(builder, type, McpPrimitiveKinds.Resources);

    /// <summary>Adds the <see cref="McpPromptAttribute"/> methods of <typeparamref name="T"/>.</summary>
    public static IMcpServerBuilder WithPrompts<T>(this IMcpServerBuilder builder) => With(builder, typeof(T), McpPrimitiveKinds.Prompts);

    /// <summary>Adds the <see cref="McpPromptAttribute"/> methods of <paramref name="type"/>.</summary>
    public static IMcpServerBuilder WithPrompts(this IMcpServerBuilder builder, Type type) => With(builder, type, McpPrimitiveKinds.Prompts);

    /// <summary>Adds every tool, resource and prompt declared in <paramref name="assembly"/>.</summary>
    public static IMcpServerBuilder WithPrimitivesFromAssembly(this IMcpServerBuilder builder, Assembly assembly, McpPrimitiveKinds kinds = McpPrimitiveKinds.All)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return WithServer(builder, (server, services) => server.AddPrimitivesFromAssembly(assembly, services, kinds));
    }

    /// <summary>Runs <paramref name="configure"/> on the server when it is built: low-level registrations.</summary>
    public static IMcpServerBuilder WithServer(this IMcpServerBuilder builder, Action<McpServer> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return WithServer(builder, (server, _) => configure(server));
    }

    /// <summary>Runs <paramref name="configure"/> on the server when it is built, with the root service provider.</summary>
    public static IMcpServerBuilder WithServer(this IMcpServerBuilder builder, Action<McpServer, IServiceProvider> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddSingleton(new McpServerConfigurator(configure));
        return builder;
    }

    /// <summary>
    /// Binds <see cref="McpServerOptions"/> from the configuration section at <paramref name="sectionPath"/>
    /// (<c>Mcp:ServerInfo:Name</c>, <c>Mcp:Instructions</c>, <c>Mcp:PageSize</c>, <c>Mcp:JsonRpc:RequestTimeout</c>...).
    /// Values bound here apply before those set in code after it.
    /// </summary>
    public static IMcpServerBuilder BindConfiguration(this IMcpServerBuilder builder, string sectionPath = "Mcp")
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(sectionPath);
        builder.Services.AddOptions<McpServerOptions>().Configure<IConfiguration>((options, configuration) => ConfigurationReader.Bind(options, configuration.GetSection(sectionPath)));
        return builder;
    }

    private static IMcpServerBuilder With(IMcpServerBuilder builder, Type type, McpPrimitiveKinds kind)
    {
        ArgumentNullException.ThrowIfNull(type);

        // Resolve the generated set now, so a type without generated primitives fails at startup, not at first use.
        var set = McpPrimitiveCatalog.Get(type);
        if ((set.Kinds & kind) == 0)
        {
            throw new InvalidOperationException($"'{type.FullName}' declares no {kind.ToString().ToLowerInvariant()}.");
        }

        return WithServer(builder, (server, services) => set.AddTo(server, services, kind));
    }
}

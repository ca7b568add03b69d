using System.Reflection;
using McpSharp.Server;

namespace McpSharp.Authoring;

/// <summary>Adds source-generated tools, resources and prompts to a server without dependency injection.</summary>
public static class McpServerAuthoringExtensions
{
    /// <summary>
    /// Adds the <see cref="McpToolAttribute"/> methods of <typeparamref name="T"/>. Instance methods need
    /// <paramref name="services"/> unless <typeparamref name="T"/> has a public parameterless constructor.
    /// </summary>
    public static McpServer AddTools<T>(this McpServer server, IServiceProvider? services = null) =>
        Add(server, typeof(T), services, McpPrimitiveKinds.Tools);

    /// <summary>Adds the <see cref="McpResourceAttribute"/> methods of <typeparamref name="T"/>.</summary>
    public static McpServer AddResources<T>(this McpServer server, IServiceProvider? services = null) =>
        Add(server, typeof(T), services, McpPrimitiveKinds.Resources);

    /// <summary>Adds the <see cref="McpPromptAttribute"/> methods of <typeparamref name="T"/>.</summary>
    public static McpServer AddPrompts<T>(this McpServer server, IServiceProvider? services = null) =>
        Add(server, typeof(T), services, McpPrimitiveKinds.Prompts);

    /// <summary>
    /// Adds the <see cref="McpToolAttribute"/> methods of <paramref name="type"/>: the form for static classes, which
    /// cannot be type arguments.
    /// </summary>
    public static McpServer AddTools(this McpServer server, Type type, IServiceProvider? services = null) =>
        Add(server, type, services, McpPrimitiveKinds.Tools);

    /// <summary>Adds the <see cref="McpResourceAttribute"/> methods of <paramref name="type"/>.</summary>
    public static McpServer AddResources(this McpServer server, Type type, IServiceProvider? services = null) =>
        Add(server, type, services, McpPrimitiveKinds.Resources);

    /// <summary>Adds the <see cref="McpPromptAttribute"/> methods of <paramref name="type"/>.</summary>
    public static McpServer AddPrompts(this McpServer server, Type type, IServiceProvider? services = null) =>
        Add(server, type, services, McpPrimitiveKinds.Prompts);

    /// <summary>Adds the tools, resources and prompts of every type in <paramref name="assembly"/>.</summary>
    public static McpServer AddPrimitivesFromAssembly(this McpServer server, Assembly assembly, IServiceProvider? services = null, McpPrimitiveKinds kinds = McpPrimitiveKinds.All)
    {
        ArgumentNullException.ThrowIfNull(server);
        foreach (var set in McpPrimitiveCatalog.ForAssembly(assembly))
        {
            set.AddTo(server, services, kinds);
        }

        return server;
    }

    private static McpServer Add(McpServer server, Type type, IServiceProvider? services, McpPrimitiveKinds kind)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(type);
        var set = McpPrimitiveCatalog.Get(type);
        if ((set.Kinds & kind) == 0)
        {
            throw new InvalidOperationException($"'{type.FullName}' declares no {kind.ToString().ToLowerInvariant()}.");
        }

        set.AddTo(server, services, kind);
        return server;
    }
}

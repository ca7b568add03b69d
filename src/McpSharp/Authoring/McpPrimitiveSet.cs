using System.ComponentModel;
using McpSharp.Server;

namespace McpSharp.Authoring;

/// <summary>Which kinds of primitives to register from a type.</summary>
[Flags]
public enum McpPrimitiveKinds
{
    /// <summary>None.</summary>
    None = 0,

    /// <summary>Methods with <see cref="McpToolAttribute"/>.</summary>
    Tools = 1,

    /// <summary>Methods with <see cref="McpResourceAttribute"/> (fixed resources and templates).</summary>
    Resources = 2,

    /// <summary>Methods with <see cref="McpPromptAttribute"/>.</summary>
    Prompts = 4,

    /// <summary>Everything.</summary>
    All = Tools | Resources | Prompts,
}

/// <summary>
/// The tools, resources and prompts the source generator found on one type, with their compiled definitions and
/// handlers. Generated code derives from it and registers an instance in <see cref="McpPrimitiveCatalog"/>; user code
/// reaches it through <c>AddTools&lt;T&gt;()</c> and the hosting builder.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class McpPrimitiveSet
{
    /// <summary>The type that declares the methods.</summary>
    public abstract Type DeclaringType { get; }

    /// <summary>The kinds of primitives the type declares.</summary>
    public abstract McpPrimitiveKinds Kinds { get; }

    /// <summary>
    /// Adds the primitives of <paramref name="kinds"/> to <paramref name="server"/>. Instance methods and service
    /// parameters are resolved from a scope of <paramref name="services"/> created per call.
    /// </summary>
    public abstract void AddTo(McpServer server, IServiceProvider? services, McpPrimitiveKinds kinds);
}

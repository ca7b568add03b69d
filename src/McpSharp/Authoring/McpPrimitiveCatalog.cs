using System.Collections.Concurrent;
using System.ComponentModel;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace McpSharp.Authoring;

/// <summary>
/// Where generated code registers each type's <see cref="McpPrimitiveSet"/> (from a module initializer), and where
/// <c>AddTools&lt;T&gt;()</c> finds it. Lookup is by type, so no reflection over members ever runs.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class McpPrimitiveCatalog
{
    private static readonly ConcurrentDictionary<Type, McpPrimitiveSet> Sets = new();

    /// <summary>Registers a generated set. Called by generated module initializers.</summary>
    public static void Register(McpPrimitiveSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        Sets[set.DeclaringType] = set;
    }

    /// <summary>The generated set for <paramref name="type"/>.</summary>
    /// <exception cref="InvalidOperationException">The generator produced nothing for the type.</exception>
    public static McpPrimitiveSet Get(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (Sets.TryGetValue(type, out var set))
        {
            return set;
        }

        // The module initializer of the type's assembly registers its sets; run it in case nothing in that assembly
        // has executed yet (a type referenced only through typeof).
        RuntimeHelpers.RunModuleConstructor(type.Module.ModuleHandle);
        return Sets.TryGetValue(type, out set)
            ? set
            : throw new InvalidOperationException(
                $"No MCP tools, resources or prompts were generated for '{type.FullName}'. Mark its methods with [McpTool], "
                + "[McpResource] or [McpPrompt], and make sure the project references the McpSharp source generator.");
    }

    /// <summary>Every generated set declared in <paramref name="assembly"/>, ordered by type name.</summary>
    public static IReadOnlyList<McpPrimitiveSet> ForAssembly(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);
        return Sets.Values
            .Where(s => s.DeclaringType.Assembly == assembly)
            .OrderBy(s => s.DeclaringType.FullName, StringComparer.Ordinal)
            .ToArray();
    }
}

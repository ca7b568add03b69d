using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace McpSharp.Generators;

/// <summary>An immutable array with value equality, so pipeline results compare equal when nothing changed.</summary>
internal readonly struct EquatableArray<T> : IEquatable<EquatableArray<T>>, IEnumerable<T>
    where T : IEquatable<T>
{
    private readonly ImmutableArray<T> _items;

    public EquatableArray(ImmutableArray<T> items) => _items = items;

    public ImmutableArray<T> Items => _items.IsDefault ? ImmutableArray<T>.Empty : _items;

    public bool Equals(EquatableArray<T> other) => Items.SequenceEqual(other.Items);

    public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

    public override int GetHashCode()
    {
        int hash = 17;
        foreach (var item in Items)
        {
            hash = (hash * 31) + item.GetHashCode();
        }

        return hash;
    }

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)Items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>A diagnostic kept as plain data (no syntax trees) so that it can flow through the incremental pipeline.</summary>
internal sealed record DiagnosticInfo(string Id, string FilePath, TextSpan Span, LinePositionSpan Lines, EquatableArray<string> Args)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, Location? location, params string[] args)
    {
        var line = location?.GetLineSpan() ?? default;
        return new DiagnosticInfo(descriptor.Id, line.Path ?? string.Empty, location?.SourceSpan ?? default, line.Span, new EquatableArray<string>(args.ToImmutableArray()));
    }

    /// <summary>
    /// The diagnostic, located in <paramref name="compilation"/>'s own syntax tree when it has the file, so that
    /// <c>#pragma warning disable</c> and editor squiggles work.
    /// </summary>
    public Diagnostic ToDiagnostic(Compilation compilation)
    {
        var descriptor = Id switch
        {
            "MCPGEN001" => Diagnostics.InvalidName,
            "MCPGEN002" => Diagnostics.DuplicateName,
            "MCPGEN003" => Diagnostics.DuplicateNameAcrossTypes,
            "MCPGEN004" => Diagnostics.UnsupportedParameter,
            "MCPGEN005" => Diagnostics.UnsupportedReturn,
            "MCPGEN006" => Diagnostics.Inaccessible,
            "MCPGEN007" => Diagnostics.UnsupportedMethod,
            "MCPGEN009" => Diagnostics.InvalidHeader,
            _ => Diagnostics.TemplateMismatch,
        };
        var tree = FilePath.Length == 0 ? null : compilation.SyntaxTrees.FirstOrDefault(t => t.FilePath == FilePath);
        var location = tree is not null ? Location.Create(tree, Span) : FilePath.Length == 0 ? Location.None : Location.Create(FilePath, Span, Lines);
        return Diagnostic.Create(descriptor, location, Args.Items.Cast<object>().ToArray());
    }
}

internal enum PrimitiveKind
{
    Tool,
    Resource,
    Prompt,
}

/// <summary>
/// One attributed method, fully analysed: the C# that builds its definition and handles its calls, the helper methods
/// (readers and writers of its types) it needs, and what went wrong. Strings only, so it compares by value.
/// </summary>
internal sealed record AnalyzedMethod(
    PrimitiveKind Kind,
    string TypeKey,
    string TypeDisplay,
    string Name,
    string Registration,
    string Handler,
    EquatableArray<HelperMethod> Helpers,
    string? Factory,
    bool NeedsServices,
    DiagnosticInfo NameLocation,
    EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>A generated helper method, keyed so two methods that need the same reader share one.</summary>
internal sealed record HelperMethod(string Key, string Code);

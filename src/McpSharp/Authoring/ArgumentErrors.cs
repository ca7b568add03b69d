using System.ComponentModel;
using System.Text;
using McpSharp.Protocol;

namespace McpSharp.Authoring;

/// <summary>
/// Where an argument sits in a call, such as <c>items[2].name</c>. A struct: a top-level argument, or an element or
/// property directly below one, costs no allocation; deeper values build their parent's text as they descend.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct ArgumentPath
{
    private readonly string? _parent;
    private readonly string? _member;
    private readonly int _index;

    private ArgumentPath(string? parent, string? member, int index)
    {
        _parent = parent;
        _member = member;
        _index = index;
    }

    /// <summary>A top-level argument.</summary>
    public static ArgumentPath Root(string name) => new(null, name, -1);

    /// <summary>A property of the object at this path.</summary>
    public ArgumentPath Property(string name) => new(ToString(), name, -1);

    /// <summary>An element of the array at this path.</summary>
    public ArgumentPath Index(int index) => new(ToString(), null, index);

    /// <summary>An entry of the map at this path.</summary>
    public ArgumentPath Key(string key) => new(ToString(), "[\"" + key + "\"]", -2);

    /// <inheritdoc/>
    public override string ToString() => (_parent, _member, _index) switch
    {
        (null, { } member, _) => member,
        ({ } parent, null, >= 0) => $"{parent}[{_index}]",
        ({ } parent, { } member, -2) => parent + member,
        ({ } parent, { } member, _) => parent + "." + member,
        _ => string.Empty,
    };
}

/// <summary>The problems found while binding a call's arguments, reported to the model as a tool error (SEP-1303).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ArgumentErrors
{
    private readonly List<string> _problems = [];

    /// <summary>Records that the argument at <paramref name="path"/> <paramref name="problem"/> (e.g. "must be an integer").</summary>
    public static void Add(ref ArgumentErrors? errors, in ArgumentPath path, string problem)
    {
        errors ??= new ArgumentErrors();
        errors._problems.Add($"'{path}' {problem}");
    }

    /// <summary>Records that a required argument is missing.</summary>
    public static void Missing(ref ArgumentErrors? errors, in ArgumentPath path) => Add(ref errors, path, "is required");

    /// <summary>One sentence naming every bad argument.</summary>
    public string ToMessage(string toolName)
    {
        var text = new StringBuilder("Invalid arguments for tool '").Append(toolName).Append("': ");
        text.AppendJoin("; ", _problems);
        return text.Append('.').ToString();
    }

    /// <summary>The tool result the model sees: <c>isError: true</c> with the message, never a protocol error.</summary>
    public CallToolResult ToToolResult(string toolName) => CallToolResult.FromError(ToMessage(toolName));
}

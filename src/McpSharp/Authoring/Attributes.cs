namespace McpSharp.Authoring;

/// <summary>
/// Exposes a method as an MCP tool. The McpSharp source generator turns the method's parameters into the tool's
/// <c>inputSchema</c>, binds and validates the call's arguments, and maps the return value to a <c>CallToolResult</c>
/// at compile time: no reflection runs when the tool is listed or called. Register the declaring type with
/// <c>server.AddTools&lt;T&gt;()</c> or <c>builder.WithTools&lt;T&gt;()</c>.
/// </summary>
/// <remarks>
/// The description comes from <see cref="System.ComponentModel.DescriptionAttribute"/> or, when the project generates
/// documentation, from the method's XML <c>&lt;summary&gt;</c>. Hints left unset are omitted from the definition, so
/// clients apply the spec's defaults.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class McpToolAttribute : Attribute
{
    /// <summary>Names the tool after the method in snake_case (<c>GetWeather</c> becomes <c>get_weather</c>).</summary>
    public McpToolAttribute()
    {
    }

    /// <summary>Names the tool: 1-128 characters of <c>[A-Za-z0-9_.-]</c>, checked at compile time.</summary>
    public McpToolAttribute(string name) => Name = name;

    /// <summary>The tool's name, or null for the method name in snake_case.</summary>
    public string? Name { get; }

    /// <summary>A display name.</summary>
    public string? Title { get; set; }

    /// <summary>The tool does not modify its environment (<c>readOnlyHint</c>).</summary>
    public bool ReadOnly { get; set; }

    /// <summary>The tool may perform destructive updates (<c>destructiveHint</c>).</summary>
    public bool Destructive { get; set; }

    /// <summary>Calling again with the same arguments has no further effect (<c>idempotentHint</c>).</summary>
    public bool Idempotent { get; set; }

    /// <summary>The tool interacts with an open world of external entities (<c>openWorldHint</c>).</summary>
    public bool OpenWorld { get; set; }

    /// <summary>
    /// Whether the tool runs as a task (the tasks extension, 2026-07-28): with <see cref="McpTaskSupport.Optional"/> or
    /// <see cref="McpTaskSupport.Required"/>, a call from a client that supports tasks is answered at once with a task
    /// once its arguments are valid, and the method runs in the background (see
    /// <c>McpRequestContext.StartTaskAsync</c>); the definition declares <c>execution.taskSupport</c>.
    /// </summary>
    public McpTaskSupport TaskSupport { get; set; }
}

/// <summary>How a tool runs as a task (<see cref="McpToolAttribute.TaskSupport"/>).</summary>
public enum McpTaskSupport
{
    /// <summary>Never: every call is answered when the method returns.</summary>
    None,

    /// <summary>As a task for a client that supports tasks; as an ordinary call for others.</summary>
    Optional,

    /// <summary>Only as a task: a client that does not support tasks is refused (-32021).</summary>
    Required,
}

/// <summary>
/// Exposes a method as an MCP resource. A URI with <c>{variables}</c> (RFC 6570) makes a resource template whose
/// variables bind to the method's parameters of the same name; otherwise the resource has that fixed URI.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class McpResourceAttribute : Attribute
{
    /// <summary>Declares the resource's URI or URI template.</summary>
    public McpResourceAttribute(string uri) => Uri = uri;

    /// <summary>The URI or RFC 6570 URI template.</summary>
    public string Uri { get; }

    /// <summary>The programmatic name; defaults to the method name in snake_case.</summary>
    public string? Name { get; set; }

    /// <summary>A display name.</summary>
    public string? Title { get; set; }

    /// <summary>The MIME type of the contents.</summary>
    public string? MimeType { get; set; }
}

/// <summary>
/// Exposes a method as an MCP prompt. Its parameters become the prompt's arguments (required unless they have a
/// default or are nullable); the return value becomes the prompt's messages.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class McpPromptAttribute : Attribute
{
    /// <summary>Names the prompt after the method in snake_case.</summary>
    public McpPromptAttribute()
    {
    }

    /// <summary>Names the prompt.</summary>
    public McpPromptAttribute(string name) => Name = name;

    /// <summary>The prompt's name, or null for the method name in snake_case.</summary>
    public string? Name { get; }

    /// <summary>A display name.</summary>
    public string? Title { get; set; }
}

/// <summary>Adds an icon to a tool, resource or prompt declared on the same method. Repeat it for several icons.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class McpIconAttribute : Attribute
{
    /// <summary>Declares an icon at <paramref name="src"/> (an https or data: URI).</summary>
    public McpIconAttribute(string src) => Src = src;

    /// <summary>The image's URI.</summary>
    public string Src { get; }

    /// <summary>The image's MIME type.</summary>
    public string? MimeType { get; set; }

    /// <summary>Sizes separated by spaces, such as <c>"48x48 96x96"</c> or <c>"any"</c>.</summary>
    public string? Sizes { get; set; }

    /// <summary><c>light</c> or <c>dark</c>.</summary>
    public string? Theme { get; set; }
}

/// <summary>
/// Mirrors a tool argument in an HTTP header for revision 2026-07-28 clients: the parameter's schema gets
/// <c>"x-mcp-header": name</c>, so a client sends its value as <c>Mcp-Param-{name}</c> (intermediaries can route on it
/// without reading the body) and the server checks that the two agree (M26-HTTP-XMCP-*). Checked at compile time
/// against the validity rules: a non-empty header token, unique (case-insensitively) within the tool, on a
/// non-nullable string, boolean or integer parameter whose values stay within ±(2^53-1). Do not mirror sensitive values.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class McpHeaderAttribute : Attribute
{
    /// <summary>Mirrors the argument as <c>Mcp-Param-{name}</c>.</summary>
    public McpHeaderAttribute(string name) => Name = name;

    /// <summary>The <c>{name}</c> of <c>Mcp-Param-{name}</c>.</summary>
    public string Name { get; }
}

/// <summary>
/// Marks a parameter of a tool, resource or prompt method as a service resolved from dependency injection (in a scope
/// per call) instead of an argument from the client. Parameters of interface types are services without it.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class FromServicesAttribute : Attribute
{
}

using McpSharp.JsonRpc;
using McpSharp.Protocol;

namespace McpSharp.Server;

/// <summary>What every client of a server sees, and the limits of each session. Defaults are safe.</summary>
public sealed class McpServerOptions
{
    /// <summary>The server's name and version, sent in the <c>initialize</c> result.</summary>
    public Implementation ServerInfo { get; set; } = new() { Name = "mcpsharp-server", Version = "1.0.0" };

    /// <summary>Instructions for the model on how to use this server.</summary>
    public string? Instructions { get; set; }

    /// <summary>Items per page of every list result (default 100).</summary>
    public int PageSize { get; set; } = 100;

    /// <summary>
    /// Capabilities to declare regardless of what is registered (for example <c>tools</c> on a server that adds
    /// tools only later). Capabilities of registered features are added automatically.
    /// </summary>
    public ServerCapabilities? Capabilities { get; set; }

    /// <summary>
    /// When a tool throws, whether its result's error text includes the exception message (default true). Stack traces
    /// are never sent.
    /// </summary>
    public bool IncludeExceptionMessages { get; set; } = true;

    /// <summary>Limits and timeouts of each session's JSON-RPC connection.</summary>
    public JsonRpcOptions JsonRpc { get; set; } = new();
}

using System.Security.Claims;

namespace McpSharp.Server;

/// <summary>The kinds of primitive a server offers, for <see cref="McpAccessFilter"/>.</summary>
public enum McpPrimitiveKind
{
    /// <summary>A tool, by name.</summary>
    Tool,

    /// <summary>A resource, by URI.</summary>
    Resource,

    /// <summary>A resource template, by its URI template.</summary>
    ResourceTemplate,

    /// <summary>A prompt, by name.</summary>
    Prompt,
}

/// <summary>
/// Whether the caller of a request may see and use one primitive. What it may not use is left out of its lists and
/// answered as unknown when called, read or fetched (M26-LIST-NOT-PER-CONN: lists may vary with the request's
/// authorization, and with nothing else). Decide from the principal's claims alone: it runs for every listed item.
/// </summary>
/// <param name="kind">What the primitive is.</param>
/// <param name="name">Its name (tools, prompts), URI (resources) or URI template (templates).</param>
/// <param name="user">Who the transport authenticated for this request (HTTP: the bearer token's principal), or null.</param>
public delegate bool McpAccessFilter(McpPrimitiveKind kind, string name, ClaimsPrincipal? user);

/// <summary>Applies <see cref="McpServerOptions.AccessFilter"/> (everything is allowed without one).</summary>
internal static class AccessGate
{
    public static bool Allows(McpServer server, JsonRpc.JsonRpcRequest request, McpPrimitiveKind kind, string name) =>
        server.Options.AccessFilter is not { } filter || filter(kind, name, request.User);

    /// <summary>The entries of a list page the caller may see (the page itself when no filter is set).</summary>
    public static List<TDefinition> Visible<TEntry, TDefinition>(McpServer server, JsonRpc.JsonRpcRequest request, ArraySegment<TEntry> page, McpPrimitiveKind kind, Func<TEntry, TDefinition> definition, Func<TDefinition, string> name)
    {
        var visible = new List<TDefinition>(page.Count);
        foreach (var entry in page)
        {
            var item = definition(entry);
            if (Allows(server, request, kind, name(item)))
            {
                visible.Add(item);
            }
        }

        return visible;
    }
}

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

    /// <summary>
    /// Whether the caller may use the resource at <paramref name="uri"/>: its own filter when it is a listed resource,
    /// else that of the template it matches; a URI the server does not know is not the filter's to judge.
    /// </summary>
    public static bool AllowsUri(McpServer server, JsonRpc.JsonRpcRequest request, string uri)
    {
        if (server.Options.AccessFilter is null)
        {
            return true;
        }

        if (server.Resources.TryGet(uri, out _))
        {
            return Allows(server, request, McpPrimitiveKind.Resource, uri);
        }

        return !ResourcesFeature.FindTemplate(server, uri, out var template, out _) || Allows(server, request, McpPrimitiveKind.ResourceTemplate, template.Definition.UriTemplate);
    }

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

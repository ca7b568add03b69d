namespace McpSharp.AspNetCore;

/// <summary>
/// The MCP endpoint as an OAuth 2.1 protected resource (the MCP authorization spec): what its Protected Resource
/// Metadata (RFC 9728) says, and what every request must carry. Tokens themselves are validated by the ASP.NET Core
/// authentication handler of <see cref="AuthenticationScheme"/> (e.g. JwtBearer, with this <see cref="Resource"/> as its
/// audience, so a token issued for another resource is refused).
/// </summary>
public sealed class McpAuthorizationOptions
{
    /// <summary>
    /// This server's canonical URI as a resource (RFC 8707), e.g. <c>https://mcp.example.com/mcp</c>: the metadata's
    /// <c>resource</c>, and where its well-known URLs are derived from. Null (the default): the URL each request reached
    /// (scheme and host lowercased, path base and endpoint path).
    /// </summary>
    public Uri? Resource { get; set; }

    /// <summary>The authorization servers that issue tokens for this resource (at least one; the metadata's <c>authorization_servers</c>).</summary>
    public IList<Uri> AuthorizationServers { get; } = [];

    /// <summary>The scopes this resource knows (the metadata's <c>scopes_supported</c>; left out when empty).</summary>
    public IList<string> ScopesSupported { get; } = [];

    /// <summary>
    /// Scopes every request needs: named in the 401 challenge (<c>scope="…"</c>), and a token without all of them gets
    /// 403 <c>insufficient_scope</c> naming them. Empty (the default): any valid token will do.
    /// </summary>
    public IList<string> RequiredScopes { get; } = [];

    /// <summary>
    /// Tools that need scopes beyond <see cref="RequiredScopes"/>, by name. A caller whose token lacks any of them does
    /// not see the tool in <c>tools/list</c>, and a <c>tools/call</c> of it gets 403 <c>insufficient_scope</c> naming
    /// every scope the call needs (the required ones and the tool's), so the client can step up (AUTH-403-SCOPE).
    /// </summary>
    public IDictionary<string, IReadOnlyList<string>> ToolScopes { get; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);

    /// <summary>
    /// Resources that need scopes beyond <see cref="RequiredScopes"/>, by URI (or, for a resource template, by its URI
    /// template). Left out of <c>resources/list</c> (and <c>resources/templates/list</c>) for a caller without them; a
    /// <c>resources/read</c> of such a URI gets 403 <c>insufficient_scope</c>, and a read through such a template is
    /// answered as not found.
    /// </summary>
    public IDictionary<string, IReadOnlyList<string>> ResourceScopes { get; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);

    /// <summary>
    /// Prompts that need scopes beyond <see cref="RequiredScopes"/>, by name: left out of <c>prompts/list</c> for a
    /// caller without them, and a <c>prompts/get</c> of one gets 403 <c>insufficient_scope</c>.
    /// </summary>
    public IDictionary<string, IReadOnlyList<string>> PromptScopes { get; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);

    /// <summary>
    /// Tools that need an ASP.NET Core authorization policy (by tool name: the policy's name), e.g. one that requires a
    /// role or a claim. A caller who does not satisfy it does not see the tool, and a call of it is answered as an
    /// unknown tool. Register the policies with <c>AddAuthorization</c> (<c>MapMcp</c> fails on one that is not).
    /// </summary>
    public IDictionary<string, string> ToolPolicies { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Resources (by URI, or a template by its URI template) that need an authorization policy, as <see cref="ToolPolicies"/>.</summary>
    public IDictionary<string, string> ResourcePolicies { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Prompts (by name) that need an authorization policy, as <see cref="ToolPolicies"/>.</summary>
    public IDictionary<string, string> PromptPolicies { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>A human-readable name of the resource (the metadata's <c>resource_name</c>; left out when null).</summary>
    public string? ResourceName { get; set; }

    /// <summary>
    /// The claim types a validated token's scopes are read from, each claim holding one scope or several separated by
    /// spaces. The defaults: <c>scope</c> (RFC 9068 JWTs, RFC 7662 introspection through most handlers), <c>scp</c>
    /// (Microsoft Entra ID) and <c>oi_scp</c> (OpenIddict's validation handler, JWT or introspection). Replace them for an
    /// authentication handler that maps scopes elsewhere.
    /// </summary>
    public IList<string> ScopeClaimTypes { get; } = ["scope", "scp", "oi_scp"];

    /// <summary>The authentication scheme that validates the bearer token (null: the default scheme).</summary>
    public string? AuthenticationScheme { get; set; }
}

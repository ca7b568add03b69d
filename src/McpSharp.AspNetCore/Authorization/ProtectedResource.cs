using System.Buffers;
using System.Security.Claims;
using System.Text.Json;
using McpSharp.AspNetCore.Http;
using McpSharp.Protocol;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace McpSharp.AspNetCore.Authorization;

/// <summary>
/// The MCP endpoint as a protected resource: its metadata document (RFC 9728) and the gate every request passes after
/// the Origin/Host guard. No valid token: 401 with <c>WWW-Authenticate: Bearer resource_metadata="…"</c> (and
/// <c>scope="…"</c> when scopes are required; <c>error="invalid_token"</c> when a token was sent but refused, RFC 6750
/// §3.1). A valid token without the required scopes: 403 <c>insufficient_scope</c> naming them (AUTH-403-SCOPE).
/// </summary>
internal sealed class ProtectedResource(McpAuthorizationOptions options, string endpointPath)
{
    public const string WellKnownPath = "/.well-known/oauth-protected-resource";

    private readonly string? _requiredScope = options.RequiredScopes.Count > 0 ? string.Join(' ', options.RequiredScopes) : null;

    /// <summary>False when no tool, resource or prompt needs scopes of its own (nothing to check per call).</summary>
    public bool ChecksCalls => options.ToolScopes.Count > 0 || options.ResourceScopes.Count > 0 || options.PromptScopes.Count > 0;

    /// <summary>Who may use which primitive (scopes and policies of its own).</summary>
    public PrimitiveAccess Access { get; } = new(options);

    /// <summary>The path of the path-inserted metadata URL (RFC 9728 §3.1) of this endpoint.</summary>
    public string MetadataPath => WellKnownPath + ResourcePath;

    private string ResourcePath => options.Resource is { } resource ? resource.AbsolutePath.TrimEnd('/') : endpointPath;

    /// <summary>True when the request may go on (with its principal as <see cref="HttpContext.User"/>); otherwise the answer is written.</summary>
    public async ValueTask<bool> AdmitAsync(HttpContext http)
    {
        var result = await http.AuthenticateAsync(options.AuthenticationScheme).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            string challenge = result.Failure is null
                ? $"Bearer resource_metadata={Quoted(MetadataUrl(http))}{ScopeParameter()}"
                : $"Bearer error=\"invalid_token\", resource_metadata={Quoted(MetadataUrl(http))}{ScopeParameter()}";
            http.Response.Headers.WWWAuthenticate = challenge;
            await HttpErrors.WriteAsync(http, StatusCodes.Status401Unauthorized, McpErrorCodes.ServerError,
                result.Failure is null ? "Unauthorized: this server needs a bearer token." : "Unauthorized: the bearer token is invalid or expired.").ConfigureAwait(false);
            return false;
        }

        http.User = result.Principal!;
        if (!HasScopes(options, result.Principal!, options.RequiredScopes))
        {
            await RefuseAsync(http, options.RequiredScopes, null).ConfigureAwait(false);
            return false;
        }

        return true;
    }

    /// <summary>
    /// True when the caller may make every call of the body (a <c>tools/call</c>, <c>resources/read</c> or
    /// <c>prompts/get</c> of a primitive with scopes of its own); otherwise the 403 <c>insufficient_scope</c> challenge
    /// naming what the call needs is written.
    /// </summary>
    public async ValueTask<bool> AdmitCallsAsync(HttpContext http, IReadOnlyList<McpSharp.JsonRpc.JsonRpcMessage> messages)
    {
        foreach (var message in messages)
        {
            if (message is not McpSharp.JsonRpc.JsonRpcRequest call)
            {
                continue;
            }

            var (map, key) = call.Method switch
            {
                McpMethods.ToolsCall => (options.ToolScopes, "name"),
                McpMethods.PromptsGet => (options.PromptScopes, "name"),
                McpMethods.ResourcesRead => (options.ResourceScopes, "uri"),
                _ => (null, null),
            };
            if (map is { Count: > 0 }
                && Parameter(call, key!) is { } name
                && map.TryGetValue(name, out var scopes)
                && !HasScopes(options, http.User, scopes))
            {
                await RefuseAsync(http, [.. options.RequiredScopes.Union(scopes, StringComparer.Ordinal)], call.Id).ConfigureAwait(false);
                return false;
            }
        }

        return true;
    }

    private static string? Parameter(McpSharp.JsonRpc.JsonRpcRequest call, string name)
    {
        var parameters = call.Params.IsNone ? default : call.Params.Deserialize(McpJsonContext.Default.JsonElement);
        return parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
    }

    // 403 insufficient_scope naming every scope needed (AUTH-403-SCOPE), so a client steps up to exactly that.
    private Task RefuseAsync(HttpContext http, IList<string> needed, RequestId? id)
    {
        string scope = string.Join(' ', needed);
        http.Response.Headers.WWWAuthenticate = $"Bearer error=\"insufficient_scope\", scope={Quoted(scope)}, resource_metadata={Quoted(MetadataUrl(http))}";
        return HttpErrors.WriteAsync(http, StatusCodes.Status403Forbidden, McpErrorCodes.ServerError, $"Forbidden: this needs the scopes '{scope}'.", id);
    }

    /// <summary>Writes the metadata document.</summary>
    public Task WriteMetadataAsync(HttpContext http)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("resource"u8, Resource(http));
            writer.WriteStartArray("authorization_servers"u8);
            foreach (var server in options.AuthorizationServers)
            {
                writer.WriteStringValue(server.OriginalString);
            }

            writer.WriteEndArray();
            if (options.ScopesSupported.Count > 0)
            {
                writer.WriteStartArray("scopes_supported"u8);
                foreach (var scope in options.ScopesSupported)
                {
                    writer.WriteStringValue(scope);
                }

                writer.WriteEndArray();
            }

            writer.WriteStartArray("bearer_methods_supported"u8);
            writer.WriteStringValue("header"u8);
            writer.WriteEndArray();
            if (options.ResourceName is { } name)
            {
                writer.WriteString("resource_name"u8, name);
            }

            writer.WriteEndObject();
        }

        http.Response.ContentType = "application/json";
        http.Response.Headers.CacheControl = "no-store";
        return http.Response.Body.WriteAsync(buffer.WrittenMemory, http.RequestAborted).AsTask();
    }

    private string ScopeParameter() => _requiredScope is null ? string.Empty : $", scope={Quoted(_requiredScope)}";

    // An RFC 9110 quoted-string: a quote or backslash in a value (a configured scope, a forwarded host) is escaped.
    private static string Quoted(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    // RFC 8707: the canonical URI; the request's own URL, scheme and host lowercased, when none is configured.
    private string Resource(HttpContext http) =>
        options.Resource?.OriginalString
        ?? $"{http.Request.Scheme.ToLowerInvariant()}://{http.Request.Host.Value?.ToLowerInvariant()}{http.Request.PathBase}{endpointPath}";

    private string MetadataUrl(HttpContext http)
    {
        if (options.Resource is { } resource)
        {
            return $"{resource.GetLeftPart(UriPartial.Authority)}{WellKnownPath}{ResourcePath}";
        }

        // Where MapMcp serves it: under the app's path base, if any (RFC 9728 would insert before it, where this app
        // serves nothing; set Resource when a proxy maps the paths).
        return $"{http.Request.Scheme.ToLowerInvariant()}://{http.Request.Host.Value?.ToLowerInvariant()}{http.Request.PathBase}{WellKnownPath}{endpointPath}";
    }

    // OAuth scopes arrive as one space-separated claim (RFC 8693 §4.2's "scope") or as one claim per scope (Entra ID's
    // "scp", OpenIddict's "oi_scp"): McpAuthorizationOptions.ScopeClaimTypes names them.
    internal static bool HasScopes(McpAuthorizationOptions options, ClaimsPrincipal principal, IEnumerable<string> needed)
    {
        var granted = principal.Claims.Where(c => options.ScopeClaimTypes.Contains(c.Type))
            .SelectMany(static c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToHashSet(StringComparer.Ordinal);
        return needed.All(granted.Contains);
    }
}

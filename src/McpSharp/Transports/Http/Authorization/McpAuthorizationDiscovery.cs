using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace McpSharp.Transports.Http;

/// <summary>
/// The discovery steps of the MCP authorization flow, in the spec's order, with the checks that must stop it: the
/// server's Protected Resource Metadata (AUTH-PRM-CLIENT-ORDER; its <c>resource</c> must cover the server's URL) and
/// its authorization server's metadata (AUTH-ASMD-ORDER; its <c>issuer</c> must be the one asked for, exactly).
/// </summary>
public static class McpAuthorizationDiscovery
{
    private const string ResourceWellKnown = "/.well-known/oauth-protected-resource";

    /// <summary>
    /// The Protected Resource Metadata of the MCP server at <paramref name="endpoint"/>: from the challenge's
    /// <c>resource_metadata</c> when given, otherwise the path-inserted well-known URL, then the root one.
    /// </summary>
    /// <exception cref="McpAuthorizationException">
    /// No document was found, or the one found names another resource (a server may not send its client to tokens for
    /// someone else, <c>auth/resource-mismatch</c>) or no authorization server.
    /// </exception>
    public static async Task<ProtectedResourceMetadata> DiscoverResourceAsync(HttpClient http, Uri endpoint, McpAuthorizationChallenge? challenge = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(endpoint);
        return await FindResourceAsync(http, endpoint, challenge, cancellationToken).ConfigureAwait(false)
            ?? throw new McpAuthorizationException($"No protected resource metadata found for {endpoint} (tried {string.Join(", ", ResourceCandidates(endpoint, challenge))}).");
    }

    /// <summary>As <see cref="DiscoverResourceAsync"/>, but null when no document is found (a 2025-03-26 server has none).</summary>
    internal static async Task<ProtectedResourceMetadata?> FindResourceAsync(HttpClient http, Uri endpoint, McpAuthorizationChallenge? challenge, CancellationToken cancellationToken)
    {
        foreach (var url in ResourceCandidates(endpoint, challenge))
        {
            if (await GetAsync(http, url, AuthorizationJsonContext.Default.ProtectedResourceMetadata, cancellationToken).ConfigureAwait(false) is not { } metadata)
            {
                continue;
            }

            if (!Covers(metadata.Resource, endpoint))
            {
                throw new McpAuthorizationException($"The protected resource metadata at {url} is for '{metadata.Resource}', not for {endpoint}.");
            }

            return metadata.AuthorizationServers.Count > 0
                ? metadata
                : throw new McpAuthorizationException($"The protected resource metadata at {url} names no authorization server.");
        }

        return null;
    }

    /// <summary>
    /// The metadata of the authorization server <paramref name="issuer"/>. With a path (<c>https://a/tenant1</c>):
    /// <c>/.well-known/oauth-authorization-server/tenant1</c>, <c>/.well-known/openid-configuration/tenant1</c>, then
    /// <c>/tenant1/.well-known/openid-configuration</c>; without: <c>/.well-known/oauth-authorization-server</c>, then
    /// <c>/.well-known/openid-configuration</c>.
    /// </summary>
    /// <exception cref="McpAuthorizationException">None was found, or the one found names another issuer (RFC 8414 §3.3).</exception>
    public static async Task<AuthorizationServerMetadata> DiscoverAuthorizationServerAsync(HttpClient http, Uri issuer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(issuer);
        return await FindAuthorizationServerAsync(http, issuer, cancellationToken).ConfigureAwait(false)
            ?? throw new McpAuthorizationException($"No authorization server metadata found for {issuer} (tried {string.Join(", ", ServerCandidates(issuer).AsEnumerable())}).");
    }

    /// <summary>As <see cref="DiscoverAuthorizationServerAsync"/>, but null when no document is found.</summary>
    internal static async Task<AuthorizationServerMetadata?> FindAuthorizationServerAsync(HttpClient http, Uri issuer, CancellationToken cancellationToken)
    {
        foreach (var url in ServerCandidates(issuer))
        {
            if (await GetAsync(http, url, AuthorizationJsonContext.Default.AuthorizationServerMetadata, cancellationToken).ConfigureAwait(false) is not { } metadata)
            {
                continue;
            }

            return string.Equals(metadata.Issuer, issuer.OriginalString, StringComparison.Ordinal)
                ? metadata
                : throw new McpAuthorizationException($"The metadata at {url} is for issuer '{metadata.Issuer}', not '{issuer.OriginalString}'.");
        }

        return null;
    }

    // AUTH-PRM-CLIENT-ORDER: the challenge's resource_metadata alone when given; otherwise path-inserted, then root.
    private static List<Uri> ResourceCandidates(Uri endpoint, McpAuthorizationChallenge? challenge)
    {
        if (challenge?.ResourceMetadata is { } fromChallenge)
        {
            return [fromChallenge];
        }

        var candidates = new List<Uri>();
        string path = endpoint.AbsolutePath.TrimEnd('/');
        if (path.Length > 0)
        {
            candidates.Add(new Uri(endpoint, ResourceWellKnown + path));
        }

        candidates.Add(new Uri(endpoint, ResourceWellKnown));
        return candidates;
    }

    // AUTH-ASMD-ORDER, never the root documents for an issuer with a path.
    private static Uri[] ServerCandidates(Uri issuer)
    {
        string path = issuer.AbsolutePath.TrimEnd('/');
        return path.Length > 0
            ? [new Uri(issuer, "/.well-known/oauth-authorization-server" + path), new Uri(issuer, "/.well-known/openid-configuration" + path), new Uri(issuer, path + "/.well-known/openid-configuration")]
            : [new Uri(issuer, "/.well-known/oauth-authorization-server"), new Uri(issuer, "/.well-known/openid-configuration")];
    }

    // RFC 9728 §3.3 and §7.3: the document is about this server: same scheme, host and port, and the endpoint's path
    // is the resource's or under it (segment by segment).
    private static bool Covers(string resource, Uri endpoint)
    {
        if (!Uri.TryCreate(resource, UriKind.Absolute, out var uri) || Uri.Compare(uri, endpoint, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) != 0)
        {
            return false;
        }

        string resourcePath = uri.AbsolutePath.TrimEnd('/');
        string endpointPath = endpoint.AbsolutePath.TrimEnd('/');
        return endpointPath.Length == resourcePath.Length
            ? string.Equals(endpointPath, resourcePath, StringComparison.Ordinal)
            : endpointPath.StartsWith(resourcePath + "/", StringComparison.Ordinal);
    }

    // A document, or null when there is none here (any status but 2xx, or a body that is not one).
    private static async Task<T?> GetAsync<T>(HttpClient http, Uri url, JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        using var response = await http.GetAsync(url, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false), type);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

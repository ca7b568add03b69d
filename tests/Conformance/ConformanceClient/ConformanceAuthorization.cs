using System.Text.Json;
using McpSharp.Transports.Http;

/// <summary>
/// The OAuth client of the conformance scenarios: McpSharp's own flow, with the suite's fixed inputs. The suite's
/// authorization server redirects at once (no user), so the redirect is one GET whose <c>Location</c> is read, not
/// followed; the Client ID Metadata Document URL is the one the suite expects; pre-registered credentials come in
/// MCP_CONFORMANCE_CONTEXT.
/// </summary>
internal static class ConformanceAuthorization
{
    private static readonly HttpClient NoRedirects = new(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionIdleTimeout = TimeSpan.FromSeconds(2) });

    public static McpOAuthTokenProvider Create(Uri endpoint) => new(endpoint, new McpOAuthOptions
    {
        RedirectUri = new Uri("http://localhost:3000/callback"),
        Redirect = FollowOnceAsync,
        ClientName = "mcpsharp-conformance-client",
        ClientMetadataDocument = new Uri("https://conformance-test.local/client-metadata.json"),
        ClientCredentials = PreRegistered(),
    });

    private static async ValueTask<Uri> FollowOnceAsync(Uri authorizationUrl, Uri redirectUri, CancellationToken cancellationToken)
    {
        using var response = await NoRedirects.GetAsync(authorizationUrl, cancellationToken);
        return response.Headers.Location ?? throw new McpAuthorizationException($"The authorization endpoint answered {(int)response.StatusCode} without a redirect.");
    }

    private static McpOAuthClientCredentials? PreRegistered()
    {
        if (Environment.GetEnvironmentVariable("MCP_CONFORMANCE_CONTEXT") is not { Length: > 0 } json)
        {
            return null;
        }

        using var context = JsonDocument.Parse(json);
        var root = context.RootElement;
        // Credentials with a secret are used only with the issuer they name (the extension scenarios name none: they
        // use other grants, which this client does not implement).
        return root.TryGetProperty("client_id", out var id) && root.TryGetProperty("client_secret", out var secret) && root.TryGetProperty("issuer", out var issuer)
            ? new McpOAuthClientCredentials(id.GetString()!, secret.GetString()) { Issuer = issuer.GetString() }
            : null;
    }
}

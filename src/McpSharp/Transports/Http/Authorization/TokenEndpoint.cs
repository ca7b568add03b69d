using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace McpSharp.Transports.Http;

/// <summary>
/// Requests to an authorization server's token endpoint (OAuth 2.1 §3.2): a code exchanged, a refresh token used,
/// each with the <c>resource</c> (AUTH-RESOURCE-PARAM) and the client authenticated as it was registered.
/// </summary>
internal sealed class TokenEndpoint(HttpClient http, TimeProvider time)
{
    public Task<McpOAuthTokens> ExchangeCodeAsync(AuthorizationServerMetadata server, McpOAuthClientCredentials client, string code, string verifier, Uri redirectUri, string resource, string? scope, CancellationToken cancellationToken) =>
        RequestAsync(server, client, [
            new("grant_type", "authorization_code"),
            new("code", code),
            new("code_verifier", verifier),
            new("redirect_uri", redirectUri.OriginalString),
            new("resource", resource),
        ], scope, previousRefreshToken: null, cancellationToken);

    public Task<McpOAuthTokens> RefreshAsync(AuthorizationServerMetadata server, McpOAuthClientCredentials client, McpOAuthTokens tokens, string resource, CancellationToken cancellationToken) =>
        RequestAsync(server, client, [
            new("grant_type", "refresh_token"),
            new("refresh_token", tokens.RefreshToken!),
            new("resource", resource),
        ], tokens.Scope, tokens.RefreshToken, cancellationToken);

    /// <summary>
    /// How the client authenticates: as registered; otherwise, with a secret, <c>client_secret_basic</c> unless the
    /// server lists only <c>client_secret_post</c> (RFC 8414: basic is the default when it lists none); without, <c>none</c>.
    /// </summary>
    internal static string AuthMethod(AuthorizationServerMetadata server, McpOAuthClientCredentials client)
    {
        if (client.TokenEndpointAuthMethod is { } registered)
        {
            return registered;
        }

        if (client.ClientSecret is null)
        {
            return "none";
        }

        var supported = server.TokenEndpointAuthMethodsSupported;
        return supported is null || supported.Contains("client_secret_basic") || !supported.Contains("client_secret_post")
            ? "client_secret_basic"
            : "client_secret_post";
    }

    private async Task<McpOAuthTokens> RequestAsync(AuthorizationServerMetadata server, McpOAuthClientCredentials client, List<KeyValuePair<string, string>> form, string? scope, string? previousRefreshToken, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(server.TokenEndpoint, UriKind.Absolute, out var endpoint))
        {
            throw new McpAuthorizationException($"The authorization server {server.Issuer} has no token_endpoint.");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint);
        request.Headers.Accept.ParseAdd("application/json");
        switch (AuthMethod(server, client))
        {
            case "client_secret_basic":
                // RFC 6749 §2.3.1: both parts form-encoded before they are joined.
                string pair = FormEncode(client.ClientId) + ":" + FormEncode(client.ClientSecret ?? string.Empty);
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)));
                break;
            case "client_secret_post":
                form.Add(new("client_id", client.ClientId));
                form.Add(new("client_secret", client.ClientSecret ?? string.Empty));
                break;
            default:
                form.Add(new("client_id", client.ClientId));
                break;
        }

        request.Content = new FormUrlEncodedContent(form);
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        byte[] body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new McpAuthorizationException($"The token endpoint of {server.Issuer} answered {(int)response.StatusCode}{Describe(body)}.");
        }

        TokenResponse? answer;
        try
        {
            answer = JsonSerializer.Deserialize(body, AuthorizationJsonContext.Default.TokenResponse);
        }
        catch (JsonException e)
        {
            throw new McpAuthorizationException($"The token endpoint of {server.Issuer} answered with something that is not a token response.", e);
        }

        if (answer?.AccessToken is not { Length: > 0 } accessToken || !string.Equals(answer.TokenType, "Bearer", StringComparison.OrdinalIgnoreCase))
        {
            throw new McpAuthorizationException($"The token endpoint of {server.Issuer} issued no bearer access token.");
        }

        return new McpOAuthTokens
        {
            AccessToken = accessToken,
            RefreshToken = answer.RefreshToken ?? previousRefreshToken,
            ExpiresAt = answer.ExpiresIn is > 0 and var seconds ? time.GetUtcNow().AddSeconds(seconds) : null,
            Scope = answer.Scope ?? scope,
            Issuer = server.Issuer,
        };
    }

    private static string Describe(byte[] body)
    {
        try
        {
            return JsonSerializer.Deserialize(body, AuthorizationJsonContext.Default.OAuthError) is { Error: not null } refusal
                ? ": " + refusal
                : string.Empty;
        }
        catch (JsonException)
        {
            return string.Empty;
        }
    }

    private static string FormEncode(string value) => Uri.EscapeDataString(value).Replace("%20", "+", StringComparison.Ordinal);
}

using System.Net.Http.Headers;
using System.Text.Json;

namespace McpSharp.Transports.Http;

/// <summary>
/// Who the client is at an authorization server, in the spec's order (AUTH-REG-PRIORITY, M26-AUTH-CIMD): credentials
/// registered beforehand, then a registration kept from earlier for this very issuer, then its Client ID Metadata
/// Document when the server takes them, then dynamic registration (RFC 7591, with <c>application_type</c>).
/// </summary>
internal sealed class ClientRegistration(McpOAuthOptions options, IMcpOAuthStore store, HttpClient http)
{
    /// <remarks>Pre-registered credentials without an issuer are a public client's id; a secret always names its issuer.</remarks>
    /// <exception cref="McpAuthorizationException">No way to register is left, or the server refused the registration.</exception>
    public async Task<McpOAuthClientCredentials> ResolveAsync(AuthorizationServerMetadata server, CancellationToken cancellationToken)
    {
        if (options.ClientCredentials is { } preRegistered && (preRegistered.Issuer is null || preRegistered.Issuer == server.Issuer))
        {
            return preRegistered;
        }

        if (await store.GetClientAsync(server.Issuer, cancellationToken).ConfigureAwait(false) is { } kept)
        {
            return kept;
        }

        if (server.ClientIdMetadataDocumentSupported && options.ClientMetadataDocument is { } document)
        {
            return new McpOAuthClientCredentials(document.OriginalString) { TokenEndpointAuthMethod = "none", Issuer = server.Issuer };
        }

        if (Uri.TryCreate(server.RegistrationEndpoint, UriKind.Absolute, out var endpoint))
        {
            var registered = await RegisterAsync(server, endpoint, cancellationToken).ConfigureAwait(false);
            await store.SetClientAsync(server.Issuer, registered, cancellationToken).ConfigureAwait(false);
            return registered;
        }

        throw new McpAuthorizationException($"The client cannot register with {server.Issuer}: no pre-registered credentials for it, no Client ID Metadata Document it accepts, and no registration endpoint.");
    }

    private async Task<McpOAuthClientCredentials> RegisterAsync(AuthorizationServerMetadata server, Uri endpoint, CancellationToken cancellationToken)
    {
        var registration = new RegistrationRequest
        {
            ClientName = options.ClientName,
            RedirectUris = [options.RedirectUri.OriginalString],
            ApplicationType = options.ApplicationType,
            TokenEndpointAuthMethod = RequestedAuthMethod(server),
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(registration, AuthorizationJsonContext.Default.RegistrationRequest)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Accept.ParseAdd("application/json");
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        byte[] body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        RegistrationResponse? answer = null;
        OAuthError? refusal = null;
        try
        {
            if (response.IsSuccessStatusCode)
            {
                answer = JsonSerializer.Deserialize(body, AuthorizationJsonContext.Default.RegistrationResponse);
            }
            else
            {
                refusal = JsonSerializer.Deserialize(body, AuthorizationJsonContext.Default.OAuthError);
            }
        }
        catch (JsonException)
        {
        }

        if (answer?.ClientId is not { Length: > 0 } clientId)
        {
            throw new McpAuthorizationException($"Dynamic registration with {server.Issuer} was refused ({(int)response.StatusCode}{(refusal is { Error: not null } ? ": " + refusal : string.Empty)}).");
        }

        return new McpOAuthClientCredentials(clientId, answer.ClientSecret)
        {
            TokenEndpointAuthMethod = answer.TokenEndpointAuthMethod ?? registration.TokenEndpointAuthMethod,
            Issuer = server.Issuer,
        };
    }

    // A public client (none) where the server takes one; otherwise the secret-based method it supports.
    private static string RequestedAuthMethod(AuthorizationServerMetadata server) => server.TokenEndpointAuthMethodsSupported switch
    {
        null => "none",
        var methods when methods.Contains("none") => "none",
        var methods when methods.Contains("client_secret_basic") => "client_secret_basic",
        var methods when methods.Contains("client_secret_post") => "client_secret_post",
        _ => "none",
    };
}

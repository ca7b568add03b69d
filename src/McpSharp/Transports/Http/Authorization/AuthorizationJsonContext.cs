using System.Text.Json.Serialization;

namespace McpSharp.Transports.Http;

/// <summary>A token endpoint's answer (OAuth 2.1 §3.2.3).</summary>
internal sealed class TokenResponse
{
    [JsonPropertyName("access_token")]
    public string? AccessToken { get; init; }

    [JsonPropertyName("token_type")]
    public string? TokenType { get; init; }

    [JsonPropertyName("expires_in")]
    public long? ExpiresIn { get; init; }

    [JsonPropertyName("refresh_token")]
    public string? RefreshToken { get; init; }

    [JsonPropertyName("scope")]
    public string? Scope { get; init; }
}

/// <summary>An OAuth error answer (OAuth 2.1 §3.2.4, RFC 7591 §3.2.2).</summary>
internal sealed class OAuthError
{
    [JsonPropertyName("error")]
    public string? Error { get; init; }

    [JsonPropertyName("error_description")]
    public string? ErrorDescription { get; init; }

    /// <summary>"error (description)", for a message.</summary>
    public override string ToString() => ErrorDescription is { } description ? $"{Error} ({description})" : Error ?? string.Empty;
}

/// <summary>A dynamic client registration request (RFC 7591 §2) for a public client of the code flow.</summary>
internal sealed class RegistrationRequest
{
    [JsonPropertyName("client_name")]
    public required string ClientName { get; init; }

    [JsonPropertyName("redirect_uris")]
    public required IReadOnlyList<string> RedirectUris { get; init; }

    [JsonPropertyName("grant_types")]
    public IReadOnlyList<string> GrantTypes { get; init; } = ["authorization_code", "refresh_token"];

    [JsonPropertyName("response_types")]
    public IReadOnlyList<string> ResponseTypes { get; init; } = ["code"];

    [JsonPropertyName("token_endpoint_auth_method")]
    public required string TokenEndpointAuthMethod { get; init; }

    [JsonPropertyName("application_type")]
    public required string ApplicationType { get; init; }
}

/// <summary>A dynamic client registration's answer (RFC 7591 §3.2.1).</summary>
internal sealed class RegistrationResponse
{
    [JsonPropertyName("client_id")]
    public string? ClientId { get; init; }

    [JsonPropertyName("client_secret")]
    public string? ClientSecret { get; init; }

    [JsonPropertyName("token_endpoint_auth_method")]
    public string? TokenEndpointAuthMethod { get; init; }
}

[JsonSerializable(typeof(ProtectedResourceMetadata))]
[JsonSerializable(typeof(AuthorizationServerMetadata))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(OAuthError))]
[JsonSerializable(typeof(RegistrationRequest))]
[JsonSerializable(typeof(RegistrationResponse))]
internal sealed partial class AuthorizationJsonContext : JsonSerializerContext;

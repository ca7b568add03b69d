using System.Text.Json.Serialization;

namespace McpSharp.Transports.Http;

/// <summary>An MCP server's OAuth 2.0 Protected Resource Metadata (RFC 9728), as discovered by <see cref="McpAuthorizationDiscovery"/>.</summary>
public sealed class ProtectedResourceMetadata
{
    /// <summary><c>resource</c>: the resource identifier tokens are requested for (RFC 8707 <c>resource</c>).</summary>
    [JsonPropertyName("resource")]
    public required string Resource { get; init; }

    /// <summary><c>authorization_servers</c>: the issuers that issue tokens for it.</summary>
    [JsonPropertyName("authorization_servers")]
    public IReadOnlyList<string> AuthorizationServers { get; init; } = [];

    /// <summary><c>scopes_supported</c>, when given.</summary>
    [JsonPropertyName("scopes_supported")]
    public IReadOnlyList<string>? ScopesSupported { get; init; }

    /// <summary><c>resource_name</c>, when given.</summary>
    [JsonPropertyName("resource_name")]
    public string? ResourceName { get; init; }
}

/// <summary>An authorization server's metadata (RFC 8414, or OpenID Connect Discovery), as discovered by <see cref="McpAuthorizationDiscovery"/>.</summary>
public sealed class AuthorizationServerMetadata
{
    /// <summary><c>issuer</c>: equal, character for character, to the issuer it was discovered for.</summary>
    [JsonPropertyName("issuer")]
    public required string Issuer { get; init; }

    /// <summary><c>authorization_endpoint</c>.</summary>
    [JsonPropertyName("authorization_endpoint")]
    public string? AuthorizationEndpoint { get; init; }

    /// <summary><c>token_endpoint</c>.</summary>
    [JsonPropertyName("token_endpoint")]
    public string? TokenEndpoint { get; init; }

    /// <summary><c>registration_endpoint</c> (dynamic client registration, RFC 7591), when offered.</summary>
    [JsonPropertyName("registration_endpoint")]
    public string? RegistrationEndpoint { get; init; }

    /// <summary><c>scopes_supported</c>, when given.</summary>
    [JsonPropertyName("scopes_supported")]
    public IReadOnlyList<string>? ScopesSupported { get; init; }

    /// <summary><c>code_challenge_methods_supported</c>: absent means a client must not proceed (AUTH-PKCE).</summary>
    [JsonPropertyName("code_challenge_methods_supported")]
    public IReadOnlyList<string>? CodeChallengeMethodsSupported { get; init; }

    /// <summary><c>token_endpoint_auth_methods_supported</c>, when given.</summary>
    [JsonPropertyName("token_endpoint_auth_methods_supported")]
    public IReadOnlyList<string>? TokenEndpointAuthMethodsSupported { get; init; }

    /// <summary><c>client_id_metadata_document_supported</c> (Client ID Metadata Documents).</summary>
    [JsonPropertyName("client_id_metadata_document_supported")]
    public bool ClientIdMetadataDocumentSupported { get; init; }

    /// <summary><c>authorization_response_iss_parameter_supported</c> (RFC 9207).</summary>
    [JsonPropertyName("authorization_response_iss_parameter_supported")]
    public bool AuthorizationResponseIssParameterSupported { get; init; }

    /// <summary>True when PKCE with <c>S256</c> is advertised, which a client must see before authorizing (AUTH-PKCE).</summary>
    [JsonIgnore]
    public bool SupportsPkceS256 => CodeChallengeMethodsSupported?.Contains("S256", StringComparer.Ordinal) == true;
}

/// <summary>Authorization discovery failed in a way that must stop the flow (a metadata document that does not match).</summary>
public sealed class McpAuthorizationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public McpAuthorizationException() : this("Authorization discovery failed.") { }

    /// <summary>Creates the exception.</summary>
    public McpAuthorizationException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public McpAuthorizationException(string message, Exception innerException) : base(message, innerException) { }
}

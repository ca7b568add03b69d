namespace McpSharp.Transports.Http;

/// <summary>
/// Sends the user to the authorization server and returns where it sent them back: the redirect URI with the
/// authorization response in its query (<c>code</c>, <c>state</c>, <c>iss</c>, or <c>error</c>). A desktop or CLI app
/// opens <paramref name="authorizationUrl"/> in the browser and waits on a loopback listener
/// (<see cref="McpLoopbackRedirect"/>); a web app redirects its user and completes when its callback is hit.
/// </summary>
public delegate ValueTask<Uri> McpAuthorizationRedirect(Uri authorizationUrl, Uri redirectUri, CancellationToken cancellationToken);

/// <summary>
/// How <see cref="McpOAuthTokenProvider"/> takes a client through the MCP authorization flow: the redirect, how the
/// client is known to the authorization server (pre-registered, a Client ID Metadata Document, or dynamic
/// registration, tried in that order), the scopes, and where tokens and registrations are kept.
/// </summary>
public sealed class McpOAuthOptions
{
    /// <summary>
    /// The redirect URI registered for this client: <c>http://127.0.0.1:PORT/callback</c> (or <c>localhost</c>) for
    /// desktop and CLI apps, an <c>https</c> URL for web apps (AUTH-HTTPS).
    /// </summary>
    public required Uri RedirectUri { get; init; }

    /// <summary>Takes the user through the authorization endpoint and returns the redirect it ended with.</summary>
    public required McpAuthorizationRedirect Redirect { get; init; }

    /// <summary>
    /// Credentials registered with the authorization server beforehand (AUTH-PREREG), tried first. When
    /// <see cref="McpOAuthClientCredentials.Issuer"/> is set they are used with that authorization server only; with a
    /// secret it must be set (a server could otherwise name another authorization server and receive the secret).
    /// </summary>
    public McpOAuthClientCredentials? ClientCredentials { get; init; }

    /// <summary>
    /// The https URL of this client's Client ID Metadata Document (AUTH-CIMD-CLIENT): used as the <c>client_id</c> when
    /// the authorization server says <c>client_id_metadata_document_supported</c> and no pre-registered credentials apply.
    /// </summary>
    public Uri? ClientMetadataDocument { get; init; }

    /// <summary>The <c>client_name</c> sent in a dynamic registration (default <c>McpSharp client</c>).</summary>
    public string ClientName { get; init; } = "McpSharp client";

    /// <summary>
    /// The <c>application_type</c> of a dynamic registration (M26-AUTH-DCR): <c>native</c> (the default: desktop, CLI
    /// and loopback apps) or <c>web</c>.
    /// </summary>
    public string ApplicationType { get; init; } = "native";

    /// <summary>
    /// Scopes to ask for when the server's challenge names none; by default the protected resource's
    /// <c>scopes_supported</c>, and no <c>scope</c> at all when it has none (AUTH-SCOPE-FALLBACK).
    /// </summary>
    public IReadOnlyList<string>? Scopes { get; init; }

    /// <summary>
    /// Whether to ask for <c>offline_access</c> (a refresh token) when the authorization server lists it in
    /// <c>scopes_supported</c> (default true); never asked for otherwise.
    /// </summary>
    public bool RequestOfflineAccess { get; init; } = true;

    /// <summary>
    /// How many authorizations in a row the client runs for the same scopes when each token it gets is refused again
    /// (default 3): after that the refusal stands, so a server that will never be satisfied cannot keep the user in a
    /// loop (AUTH-STEPUP).
    /// </summary>
    public int MaxAuthorizationAttempts { get; init; } = 3;

    /// <summary>Where tokens (per server) and registrations (per authorization server) are kept; in memory by default.</summary>
    public IMcpOAuthStore? Store { get; init; }

    /// <summary>The HttpClient for metadata, registration and token requests; by default one of the provider's own.</summary>
    public HttpClient? HttpClient { get; init; }

    /// <summary>The clock that decides when an access token has expired.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}

/// <summary>A client's identity at one authorization server.</summary>
/// <param name="ClientId">The <c>client_id</c>.</param>
/// <param name="ClientSecret">The <c>client_secret</c> of a confidential client, or null for a public one.</param>
public sealed record McpOAuthClientCredentials(string ClientId, string? ClientSecret = null)
{
    /// <summary>
    /// How the client authenticates at the token endpoint: <c>client_secret_basic</c>, <c>client_secret_post</c> or
    /// <c>none</c>. By default the first the authorization server supports that fits (a secret: basic, then post;
    /// none without one).
    /// </summary>
    public string? TokenEndpointAuthMethod { get; init; }

    /// <summary>The issuer these credentials belong to; null: any (pre-registered credentials the app vouches for).</summary>
    public string? Issuer { get; init; }

    /// <summary>The client id and issuer; never the secret (it must not reach a log).</summary>
    public override string ToString() => $"{ClientId} ({Issuer ?? "any issuer"})";
}

/// <summary>The tokens a client holds for one MCP server.</summary>
public sealed record McpOAuthTokens
{
    /// <summary>The access token sent as <c>Authorization: Bearer</c>.</summary>
    public required string AccessToken { get; init; }

    /// <summary>The refresh token, when one was issued.</summary>
    public string? RefreshToken { get; init; }

    /// <summary>When the access token expires, when the authorization server said (<c>expires_in</c>).</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>The scopes granted (or asked for, when the answer did not say), space-separated.</summary>
    public string? Scope { get; init; }

    /// <summary>The issuer that issued them: they are never sent to a server whose authorization server is another (AUTH-ONLY-OWN-TOKENS).</summary>
    public required string Issuer { get; init; }

    /// <summary>The issuer, scope and expiry; never the tokens (they must not reach a log).</summary>
    public override string ToString() => $"tokens from {Issuer} for '{Scope}', expiring {ExpiresAt?.ToString("O", System.Globalization.CultureInfo.InvariantCulture) ?? "(not said)"}";
}

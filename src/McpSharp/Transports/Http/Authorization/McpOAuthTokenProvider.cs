using System.Net;

namespace McpSharp.Transports.Http;

/// <summary>
/// McpSharp's OAuth 2.1 client for one MCP server: plug <see cref="GetTokenAsync"/> into
/// <see cref="HttpClientTransportOptions.AccessTokenProvider"/>. On the server's 401 it discovers the protected
/// resource and its authorization server, registers the client, runs the authorization-code flow with PKCE through
/// <see cref="McpOAuthOptions.Redirect"/>, checks the response's issuer, and exchanges the code for tokens bound to
/// the server (<c>resource</c>). Later it refreshes an expired token, steps up on 403 <c>insufficient_scope</c> with
/// the scopes named, and re-registers when the server moves to another authorization server.
/// </summary>
/// <remarks>
/// Failures that must stop the flow (metadata for another resource or issuer, no PKCE, a response from another
/// issuer, a refused registration or token request) throw <see cref="McpAuthorizationException"/> out of the request
/// that started it. One flow runs at a time; requests refused meanwhile take the token it ends with. A flow is not
/// cancelled with the request that started it (others may be waiting for it): the request only stops waiting, and
/// disposing the provider stops the flow.
/// </remarks>
public sealed class McpOAuthTokenProvider : IDisposable
{
    private static readonly TimeSpan ExpirySkew = TimeSpan.FromSeconds(30);
    private readonly Uri _endpoint;
    private readonly string _key;
    private readonly McpOAuthOptions _options;
    private readonly IMcpOAuthStore _store;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly TokenEndpoint _tokenEndpoint;
    private readonly ClientRegistration _registration;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private (ProtectedResourceMetadata Resource, AuthorizationServerMetadata Server)? _discovered;
    private string? _lastIssued;
    private string? _lastScope;
    private int _attempts;
    private int _disposed;

    /// <summary>Creates the client for the MCP server at <paramref name="serverEndpoint"/>.</summary>
    public McpOAuthTokenProvider(Uri serverEndpoint, McpOAuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(serverEndpoint);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxAuthorizationAttempts, 1);
        if (options.ClientCredentials is { ClientSecret: not null, Issuer: null })
        {
            throw new ArgumentException("Pre-registered credentials with a secret must name their Issuer: the secret is sent to that authorization server only.", nameof(options));
        }

        _endpoint = serverEndpoint;
        _key = CanonicalResource(serverEndpoint);
        _options = options;
        _store = options.Store ?? new InMemoryOAuthStore();
        _ownsHttp = options.HttpClient is null;
        // Its requests come in bursts far apart (a sign-in, a refresh an hour later). .NET honours a server's Keep-Alive
        // timeout hint, but a server without one may close an idle connection just as it is reused; kept 2 s, a burst
        // still shares its connections and a later request opens a new one.
        _http = options.HttpClient ?? new HttpClient(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromSeconds(2) });
        _tokenEndpoint = new TokenEndpoint(_http, options.TimeProvider);
        _registration = new ClientRegistration(options, _store, _http);
    }

    /// <summary>
    /// The server's canonical URI (AUTH-CANONICAL-URI): lower-case scheme and host, no fragment, no trailing slash; the
    /// key tokens are kept under.
    /// </summary>
    public static string CanonicalResource(Uri serverEndpoint)
    {
        ArgumentNullException.ThrowIfNull(serverEndpoint);
        string path = serverEndpoint.AbsolutePath.TrimEnd('/');
        return $"{serverEndpoint.Scheme.ToLowerInvariant()}://{serverEndpoint.Authority.ToLowerInvariant()}{path}{serverEndpoint.Query}";
    }

    /// <summary>
    /// The token for the next request (null: none yet, the server's challenge starts the flow), or the answer to a
    /// challenge: a refreshed token, a new authorization, or null when the same refusal came back
    /// <see cref="McpOAuthOptions.MaxAuthorizationAttempts"/> times in a row.
    /// </summary>
    /// <exception cref="McpAuthorizationException">The flow had to stop; the message says why.</exception>
    public async ValueTask<string?> GetTokenAsync(McpAuthorizationChallenge? challenge, CancellationToken cancellationToken)
    {
        if (challenge is null)
        {
            var held = await _store.GetTokensAsync(_key, cancellationToken).ConfigureAwait(false);
            if (held is null || !Expired(held) || held.RefreshToken is null)
            {
                return held?.AccessToken;
            }
        }

        // The flow runs on its own: a request that stops waiting (cancelled, timed out) does not abort a sign-in that
        // the requests refused meanwhile are waiting for. Disposing the provider stops it.
        return await Task.Run(() => RunSerializedAsync(challenge), _stopping.Token).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Forgets the tokens held for this server (sign-out); the next request starts the flow again.</summary>
    public ValueTask SignOutAsync(CancellationToken cancellationToken = default) => _store.SetTokensAsync(_key, null, cancellationToken);

    /// <summary>Stops a flow in progress.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stopping.Cancel();
        _stopping.Dispose();
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private async Task<string?> RunSerializedAsync(McpAuthorizationChallenge? challenge)
    {
        var stopping = _stopping.Token;
        await _gate.WaitAsync(stopping).ConfigureAwait(false);
        try
        {
            return challenge is null
                ? await RefreshIfExpiredAsync(stopping).ConfigureAwait(false)
                : await AnswerAsync(challenge, stopping).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<string?> RefreshIfExpiredAsync(CancellationToken cancellationToken)
    {
        // Another request may have refreshed it while this one waited.
        var held = await _store.GetTokensAsync(_key, cancellationToken).ConfigureAwait(false);
        if (held is null || !Expired(held) || held.RefreshToken is null)
        {
            return held?.AccessToken;
        }

        var discovered = _discovered ?? await DiscoverAsync(challenge: null, cancellationToken).ConfigureAwait(false);
        return (await TryRefreshAsync(held, discovered, cancellationToken).ConfigureAwait(false))?.AccessToken ?? held.AccessToken;
    }

    private async Task<string?> AnswerAsync(McpAuthorizationChallenge challenge, CancellationToken cancellationToken)
    {
        var held = await _store.GetTokensAsync(_key, cancellationToken).ConfigureAwait(false);
        if (held is not null && held.AccessToken != challenge.RefusedToken)
        {
            return held.AccessToken; // answered by another request's flow while this one waited
        }

        bool stepUp = challenge.StatusCode == HttpStatusCode.Forbidden;
        bool refresh = !stepUp && held?.RefreshToken is not null;

        // The token just issued refused again for the same scopes: after a few tries, the refusal stands (AUTH-STEPUP).
        _attempts = challenge.RefusedToken is not null && challenge.RefusedToken == _lastIssued && challenge.Scope == _lastScope ? _attempts + 1 : 1;
        bool exhausted = _attempts > _options.MaxAuthorizationAttempts;
        if (exhausted && !refresh)
        {
            return null;
        }

        // Discovered once per challenge, for the refresh and the authorization alike (the server may have moved).
        var discovered = await DiscoverAsync(challenge, cancellationToken).ConfigureAwait(false);
        if (refresh && await TryRefreshAsync(held!, discovered, cancellationToken).ConfigureAwait(false) is { } refreshed)
        {
            return refreshed.AccessToken;
        }

        if (exhausted)
        {
            return null;
        }

        var issued = await AuthorizeAsync(challenge, discovered, stepUp ? held : null, cancellationToken).ConfigureAwait(false);
        (_lastIssued, _lastScope) = (issued.AccessToken, challenge.Scope);
        return issued.AccessToken;
    }

    private async Task<McpOAuthTokens> AuthorizeAsync(McpAuthorizationChallenge challenge, (ProtectedResourceMetadata Resource, AuthorizationServerMetadata Server) discovered, McpOAuthTokens? stepUpFrom, CancellationToken cancellationToken)
    {
        var (resource, server) = discovered;
        var client = await _registration.ResolveAsync(server, cancellationToken).ConfigureAwait(false);
        string? scope = SelectScope(challenge, resource, server, stepUpFrom?.Issuer == server.Issuer ? stepUpFrom.Scope : null);
        var request = AuthorizationCodeRequest.Create(server, client.ClientId, _options.RedirectUri, resource.Resource, scope);
        var redirect = await _options.Redirect(request.Url, _options.RedirectUri, cancellationToken).ConfigureAwait(false);
        string code = request.ReadCode(redirect);
        var tokens = await _tokenEndpoint.ExchangeCodeAsync(server, client, code, request.Verifier, _options.RedirectUri, resource.Resource, scope, cancellationToken).ConfigureAwait(false);
        await _store.SetTokensAsync(_key, tokens, cancellationToken).ConfigureAwait(false);
        return tokens;
    }

    // A refresh with the issuer that issued the tokens; null when it is refused or the server has moved to another
    // authorization server (the tokens are forgotten: they are never sent elsewhere).
    private async Task<McpOAuthTokens?> TryRefreshAsync(McpOAuthTokens held, (ProtectedResourceMetadata Resource, AuthorizationServerMetadata Server) discovered, CancellationToken cancellationToken)
    {
        var (resource, server) = discovered;
        if (server.Issuer != held.Issuer)
        {
            await _store.SetTokensAsync(_key, null, cancellationToken).ConfigureAwait(false);
            return null;
        }

        try
        {
            var client = await _registration.ResolveAsync(server, cancellationToken).ConfigureAwait(false);
            var tokens = await _tokenEndpoint.RefreshAsync(server, client, held, resource.Resource, cancellationToken).ConfigureAwait(false);
            await _store.SetTokensAsync(_key, tokens, cancellationToken).ConfigureAwait(false);
            return tokens;
        }
        catch (McpAuthorizationException)
        {
            await _store.SetTokensAsync(_key, held with { RefreshToken = null }, cancellationToken).ConfigureAwait(false);
            return null;
        }
    }

    private async Task<(ProtectedResourceMetadata, AuthorizationServerMetadata)> DiscoverAsync(McpAuthorizationChallenge? challenge, CancellationToken cancellationToken)
    {
        var resource = await McpAuthorizationDiscovery.FindResourceAsync(_http, _endpoint, challenge, cancellationToken).ConfigureAwait(false);
        AuthorizationServerMetadata server;
        if (resource is null && challenge?.ResourceMetadata is { } named)
        {
            throw new McpAuthorizationException($"The protected resource metadata the server named ({named}) could not be read.");
        }

        if (resource is null)
        {
            // A 2025-03-26 server has no resource metadata: its origin is the authorization server, at the default
            // endpoints when it has no metadata either.
            var origin = new Uri(_endpoint.GetLeftPart(UriPartial.Authority));
            server = await McpAuthorizationDiscovery.FindAuthorizationServerAsync(_http, origin, cancellationToken).ConfigureAwait(false) ?? DefaultEndpoints(origin);
            resource = new ProtectedResourceMetadata { Resource = _key, AuthorizationServers = [server.Issuer] };
        }
        else
        {
            if (!Uri.TryCreate(resource.AuthorizationServers[0], UriKind.Absolute, out var issuer))
            {
                throw new McpAuthorizationException($"The protected resource names an authorization server that is not a URL: '{resource.AuthorizationServers[0]}'.");
            }

            server = await McpAuthorizationDiscovery.DiscoverAuthorizationServerAsync(_http, issuer, cancellationToken).ConfigureAwait(false);
        }

        _discovered = (resource, server);
        return (resource, server);
    }

    // The endpoints a 2025-03-26 client falls back to (PKCE was required of every server then).
    private static AuthorizationServerMetadata DefaultEndpoints(Uri origin) => new()
    {
        Issuer = origin.OriginalString,
        AuthorizationEndpoint = new Uri(origin, "/authorize").AbsoluteUri,
        TokenEndpoint = new Uri(origin, "/token").AbsoluteUri,
        RegistrationEndpoint = new Uri(origin, "/register").AbsoluteUri,
        CodeChallengeMethodsSupported = ["S256"],
    };

    // AUTH-SCOPE-FALLBACK: the challenge's scopes (authoritative for the refused request; on a step-up, added to those
    // already held), else the application's, else the resource's scopes_supported, else none; plus offline_access when
    // the authorization server offers it, for a refresh token.
    private string? SelectScope(McpAuthorizationChallenge challenge, ProtectedResourceMetadata resource, AuthorizationServerMetadata server, string? held)
    {
        var scopes = new List<string>();
        void Add(IEnumerable<string>? more)
        {
            foreach (string s in more ?? [])
            {
                if (s.Length > 0 && !scopes.Contains(s, StringComparer.Ordinal))
                {
                    scopes.Add(s);
                }
            }
        }

        Add(held?.Split(' '));
        Add(challenge.Scope?.Split(' ') ?? _options.Scopes ?? resource.ScopesSupported);
        if (scopes.Count == 0)
        {
            return null;
        }

        if (_options.RequestOfflineAccess && server.ScopesSupported?.Contains("offline_access", StringComparer.Ordinal) == true)
        {
            Add(["offline_access"]);
        }

        return string.Join(' ', scopes);
    }

    private bool Expired(McpOAuthTokens tokens) => tokens.ExpiresAt is { } at && _options.TimeProvider.GetUtcNow() >= at - ExpirySkew;
}

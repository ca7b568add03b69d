using System.Collections.Concurrent;
using System.Security.Claims;
using McpSharp.AspNetCore.Tests.TestSupport;
using McpSharp.Client;
using McpSharp.Protocol;
using McpSharp.Tests.Shared;
using McpSharp.Transports.Http;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using OpenIddict.Validation;
using OpenIddict.Validation.AspNetCore;
using static McpSharp.AspNetCore.Tests.TestSupport.TestServer;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace McpSharp.AspNetCore.Tests;

/// <summary>
/// McpSharp's OAuth client against a real authorization server: OpenIddict 7 on one loopback port issuing JWT access
/// tokens for an McpSharp server (WithAuthorization, JwtBearer checking the audience) on another. The client runs the
/// authorization-code flow with PKCE through <see cref="McpLoopbackRedirect"/> (the "browser" is an HttpClient that
/// follows the authorization server's redirect to the listener), checks OpenIddict's <c>iss</c>, calls tools, steps
/// up for a tool that needs another scope, and refreshes a token that expired or was refused. A second McpSharp server
/// validates tokens by introspection (RFC 7662, OpenIddict's validation handler) instead.
/// </summary>
public sealed class OAuthEndToEndTests : IAsyncLifetime
{
    private const string ClientId = "mcp-e2e-client";
    private readonly ConcurrentQueue<string> _grants = new();
    private readonly ConcurrentQueue<string> _authorizedScopes = new();
    private readonly ConcurrentDictionary<string, string> _resourceServers = new(); // client id (the resource) -> secret, for introspection
    private readonly ConcurrentQueue<bool> _introspections = new(); // each introspection's "active"
    private WebApplication _authorizationServer = null!;
    private Uri _issuer = null!;
    private TestServer _mcp = null!;
    private string _resource = null!;

    public async Task InitializeAsync()
    {
        _authorizationServer = BuildAuthorizationServer();
        var address = await LoopbackHost.StartAsync(_authorizationServer, "/");
        _issuer = address;
        _mcp = await TestServer.StartAsync(
            services: s => s.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
            {
                o.Authority = _issuer.AbsoluteUri;
                o.RequireHttpsMetadata = false;
                o.MapInboundClaims = false;
                o.TokenValidationParameters = new TokenValidationParameters
                {
                    AudienceValidator = (audiences, _, _) => audiences.Contains(_resource, StringComparer.Ordinal),
                };
            }),
            pipeline: app => app.UseAuthentication(),
            mcp: b => b.WithAuthorization(o =>
            {
                o.AuthorizationServers.Add(_issuer);
                o.ScopesSupported.Add("mcp:tools");
                o.ScopesSupported.Add("mcp:admin");
                o.RequiredScopes.Add("mcp:tools");
                o.ToolScopes["admin_echo"] = ["mcp:admin"];
            }),
            configure: s => s.Tools.Add(
                new Tool { Name = "admin_echo", InputSchema = Json("""{"type":"object"}""") },
                static _ => ValueTask.FromResult(CallToolResult.FromText("admin"))));
        _resource = _mcp.Endpoint.AbsoluteUri;
    }

    public async Task DisposeAsync()
    {
        await _mcp.DisposeAsync();
        await _authorizationServer.DisposeAsync();
    }

    [Fact]
    public async Task Client_signs_in_with_pkce_through_the_loopback_redirect_and_calls_a_tool()
    {
        using var flow = StartClient();
        await using var client = await McpClient.ConnectAsync(flow.Transport());

        var result = await client.CallToolAsync("echo", new Dictionary<string, System.Text.Json.JsonElement> { ["text"] = Json("\"hi\"") });

        Assert.Equal("echo:hi", ((TextContentBlock)result.Content[0]).Text);
        Assert.Equal(["authorization_code"], _grants);
        Assert.Equal(["mcp:tools offline_access"], _authorizedScopes); // the challenge's scope, plus a refresh token on offer
        Assert.Equal(1, flow.BrowserVisits);

        // OpenIddict says it sends iss (RFC 9207), so the client required it and compared it before redeeming the code.
        using var http = new HttpClient();
        Assert.True((await McpAuthorizationDiscovery.DiscoverAuthorizationServerAsync(http, _issuer)).AuthorizationResponseIssParameterSupported);
    }

    [Fact]
    public async Task Client_steps_up_for_a_tool_that_needs_another_scope_and_keeps_the_scopes_it_had()
    {
        using var flow = StartClient();
        await using var client = await McpClient.ConnectAsync(flow.Transport());
        await client.ListToolsAsync();

        var result = await client.CallToolAsync("admin_echo");

        Assert.Equal("admin", ((TextContentBlock)result.Content[0]).Text);
        Assert.Equal(["mcp:tools offline_access", "mcp:tools offline_access mcp:admin"], _authorizedScopes);
        Assert.Equal(2, flow.BrowserVisits);
        await client.CallToolAsync("echo"); // the stepped-up token still carries the first scope
    }

    [Fact]
    public async Task Client_refreshes_an_expired_token_before_sending_it()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var flow = StartClient(time);
        await using var client = await McpClient.ConnectAsync(flow.Transport());
        var first = await flow.Store.GetTokensAsync(flow.Key, default);

        time.Advance(TimeSpan.FromHours(2)); // past the hour OpenIddict gave the access token
        await client.ListToolsAsync();

        var second = await flow.Store.GetTokensAsync(flow.Key, default);
        Assert.Equal(["authorization_code", "refresh_token"], _grants);
        Assert.NotEqual(first!.AccessToken, second!.AccessToken);
        Assert.Equal(1, flow.BrowserVisits); // no second sign-in
    }

    [Fact]
    public async Task Client_refreshes_and_retries_once_when_the_server_refuses_its_token_mid_session()
    {
        using var flow = StartClient();
        await using var client = await McpClient.ConnectAsync(flow.Transport());
        var held = await flow.Store.GetTokensAsync(flow.Key, default);
        await flow.Store.SetTokensAsync(flow.Key, held! with { AccessToken = "revoked" }, default);

        var tools = await client.ListToolsAsync();

        Assert.Contains(tools.Tools, t => t.Name == "echo");
        Assert.Equal(["authorization_code", "refresh_token"], _grants);
        Assert.Equal(1, flow.BrowserVisits);
    }

    [Fact]
    public async Task Server_refuses_an_openiddict_token_issued_for_another_resource()
    {
        using var flow = StartClient();
        await using (await McpClient.ConnectAsync(flow.Transport()))
        {
        }

        // A token the same authorization server issued, for another resource (RFC 8707): the MCP server must refuse it.
        var held = await flow.Store.GetTokensAsync(flow.Key, default);
        using var http = new HttpClient();
        var other = await RedeemRefreshTokenAsync(http, held!.RefreshToken!, "http://127.0.0.1:1/other");

        using var response = await InitializeWithAsync(_mcp, other);

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_validates_tokens_by_introspection_serves_the_signed_in_client_and_refuses_another_resources_token()
    {
        // The same endpoint, on OpenIddict's validation handler, which asks the authorization server about each token
        // (RFC 7662) instead of checking a JWT's signature: any ASP.NET Core authentication handler can stand in front.
        await using var introspecting = await StartIntrospectingServerAsync();
        using var flow = new ClientUnderTest(introspecting.Endpoint, TimeProvider.System);
        await using (var client = await McpClient.ConnectAsync(flow.Transport()))
        {
            var result = await client.CallToolAsync("echo", new Dictionary<string, System.Text.Json.JsonElement> { ["text"] = Json("\"hi\"") });

            Assert.Equal("echo:hi", ((TextContentBlock)result.Content[0]).Text);
        }

        Assert.NotEmpty(_introspections); // the server asked the authorization server about the client's token
        Assert.All(_introspections, Assert.True);

        var held = await flow.Store.GetTokensAsync(flow.Key, default);
        using var http = new HttpClient();
        var other = await RedeemRefreshTokenAsync(http, held!.RefreshToken!, _resource);

        using var response = await InitializeWithAsync(introspecting, other);

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("resource_metadata=", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Single(_introspections, active => !active); // asked about it: not active for this server
    }

    private static Task<HttpResponseMessage> InitializeWithAsync(TestServer server, string token) =>
        server.PostAsync(Init, protocolVersion: null, configure: r => r.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token));

    private ClientUnderTest StartClient(TimeProvider? time = null) => new(_mcp.Endpoint, time ?? TimeProvider.System);

    private bool IsMcpServer(string resource) => resource == _resource || _resourceServers.ContainsKey(resource);

    // A second MCP server of the same authorization server, validating tokens by introspection with OpenIddict's
    // validation handler (issuer metadata discovered, the resource as the required audience).
    private async Task<TestServer> StartIntrospectingServerAsync()
    {
        string? resource = null;
        var server = await TestServer.StartAsync(
            services: s =>
            {
                s.AddOpenIddict().AddValidation(o =>
                {
                    o.SetIssuer(_issuer);
                    o.UseIntrospection();
                    o.UseSystemNetHttp();
                    o.UseAspNetCore();
                });

                // The resource (the endpoint's URL) is known once the server listens; the options are read after that.
                s.Configure<OpenIddictValidationOptions>(o =>
                {
                    o.ClientId = resource;
                    o.ClientSecret = _resourceServers[resource!];
                    o.Audiences.Add(resource!);
                });
                s.AddAuthentication(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme);
            },
            pipeline: app => app.UseAuthentication(),
            mcp: b => b.WithAuthorization(o =>
            {
                o.AuthorizationServers.Add(_issuer);
                o.ScopesSupported.Add("mcp:tools");
                o.RequiredScopes.Add("mcp:tools");
            }));
        resource = server.Endpoint.AbsoluteUri;
        _resourceServers[resource] = "introspection secret for " + resource;
        return server;
    }

    private async Task<string> RedeemRefreshTokenAsync(HttpClient http, string refreshToken, string resource)
    {
        using var response = await http.PostAsync(new Uri(_issuer, "connect/token"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
            ["client_id"] = ClientId,
            ["resource"] = resource,
        }));
        response.EnsureSuccessStatusCode();
        using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("access_token").GetString()!;
    }

    // OpenIddict in degraded mode (no database): one public client, registered here, whose redirect must be a loopback
    // /callback; the user "alice" consents to whatever scopes are asked; tokens carry the resource as their audience.
    private WebApplication BuildAuthorizationServer()
    {
        var builder = LoopbackHost.CreateBuilder();
        builder.Services.AddOpenIddict().AddServer(o =>
        {
            o.SetAuthorizationEndpointUris("connect/authorize").SetTokenEndpointUris("connect/token").SetIntrospectionEndpointUris("connect/introspect");
            o.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange().AllowRefreshTokenFlow();
            o.RegisterScopes("mcp:tools", "mcp:admin", Scopes.OfflineAccess);
            o.DisableResourceValidation(); // the handler below checks the resource against the MCP server's
            o.AddEphemeralEncryptionKey().AddEphemeralSigningKey().DisableAccessTokenEncryption();
            o.EnableDegradedMode();
            o.UseAspNetCore().EnableAuthorizationEndpointPassthrough().DisableTransportSecurityRequirement();
            o.AddEventHandler<ValidateAuthorizationRequestContext>(b => b.UseInlineHandler(context =>
            {
                if (context.ClientId != ClientId)
                {
                    context.Reject(Errors.InvalidClient, "Unknown client.");
                }
                else if (!Uri.TryCreate(context.RedirectUri, UriKind.Absolute, out var redirect) || redirect.Host != "127.0.0.1" || redirect.AbsolutePath != "/callback")
                {
                    context.Reject(Errors.InvalidRequest, "The redirect must be a loopback /callback.");
                }
                else if (context.Request.GetResources() is not [var resource] || !IsMcpServer(resource))
                {
                    context.Reject(Errors.InvalidTarget, "Tokens are issued for the MCP servers only.");
                }

                return default;
            }));
            o.AddEventHandler<ValidateTokenRequestContext>(b => b.UseInlineHandler(context =>
            {
                if (context.ClientId != ClientId)
                {
                    context.Reject(Errors.InvalidClient, "Unknown client.");
                }
                else if (context.Request.IsAuthorizationCodeGrantType() && (context.Request.GetResources() is not [var resource] || !IsMcpServer(resource)))
                {
                    context.Reject(Errors.InvalidTarget, "The code is redeemed for an MCP server only (RFC 8707 resource).");
                }
                else
                {
                    _grants.Enqueue(context.Request.GrantType!);
                }

                return default;
            }));
            o.AddEventHandler<ValidateIntrospectionRequestContext>(b => b.UseInlineHandler(context =>
            {
                // A resource server introspects as a confidential client whose id is its resource URI, so OpenIddict
                // finds it among the token's audiences (it tells only an audience or presenter about a token).
                if (context.ClientId is not { } id || !_resourceServers.TryGetValue(id, out var secret) || context.ClientSecret != secret)
                {
                    context.Reject(Errors.InvalidClient, "Unknown resource server.");
                }

                return default;
            }));
            o.AddEventHandler<ApplyIntrospectionResponseContext>(b => b.UseInlineHandler(context =>
            {
                _introspections.Enqueue((bool?)context.Response[Claims.Active] == true);
                return default;
            }));
            o.AddEventHandler<HandleIntrospectionRequestContext>(b => b.UseInlineHandler(context =>
            {
                // What OpenIddict's own handler does outside degraded mode: an audience of the access token learns its scopes.
                if (context.GenericTokenPrincipal!.HasAudience(context.Request.ClientId!))
                {
                    context.Scopes.UnionWith(context.GenericTokenPrincipal.GetScopes());
                }

                return default;
            }));
            o.AddEventHandler<HandleTokenRequestContext>(b => b.UseInlineHandler(context =>
            {
                // A refresh may narrow the audience to another resource (RFC 8707 §2.2): the one asked for.
                if (context.Request.IsRefreshTokenGrantType() && context.Request.GetResources() is [var resource])
                {
                    var principal = context.Principal!.Clone(_ => true);
                    principal.SetResources(resource);
                    context.SignIn(principal);
                }

                return default;
            }).SetOrder(int.MaxValue));
        });
        var app = builder.Build();
        app.MapGet("/connect/authorize", (HttpContext http) =>
        {
            var request = http.GetOpenIddictServerRequest()!;
            _authorizedScopes.Enqueue(request.Scope ?? string.Empty);
            var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
            identity.SetClaim(Claims.Subject, "alice");
            identity.SetScopes(request.GetScopes());
            identity.SetResources(request.GetResources());
            identity.SetDestinations(static _ => [Destinations.AccessToken]);
            return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        });
        return app;
    }

    /// <summary>The client's side: the token provider, its store and clock, the loopback listener, and a "browser".</summary>
    private sealed class ClientUnderTest : IDisposable
    {
        private readonly McpLoopbackRedirect _loopback = McpLoopbackRedirect.Start();
        private readonly HttpClient _browser = new();
        private readonly Uri _endpoint;
        private int _visits;

        public ClientUnderTest(Uri endpoint, TimeProvider time)
        {
            _endpoint = endpoint;
            Key = McpOAuthTokenProvider.CanonicalResource(endpoint);
            Provider = new McpOAuthTokenProvider(endpoint, new McpOAuthOptions
            {
                RedirectUri = _loopback.RedirectUri,
                Redirect = _loopback.Handler(async (url, ct) =>
                {
                    Interlocked.Increment(ref _visits);

                    // The browser follows the authorization server's redirect to the listener; the listener's answer
                    // comes back only once it has the code.
                    _ = _browser.GetAsync(url, ct);
                    await Task.CompletedTask;
                }),
                ClientCredentials = new McpOAuthClientCredentials(ClientId),
                Store = Store,
                TimeProvider = time,
            });
        }

        public InMemoryOAuthStore Store { get; } = new();

        public McpOAuthTokenProvider Provider { get; }

        public string Key { get; }

        public int BrowserVisits => Volatile.Read(ref _visits);

        public StreamableHttpClientTransport Transport() => new(new HttpClientTransportOptions { Endpoint = _endpoint, AccessTokenProvider = Provider.GetTokenAsync });

        public void Dispose()
        {
            Provider.Dispose();
            _browser.Dispose();
            _loopback.Dispose();
        }
    }
}

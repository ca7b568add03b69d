using System.Collections.Concurrent;
using System.Net;
using McpSharp.AspNetCore.Tests.TestSupport;
using McpSharp.Client;
using McpSharp.Tests.Shared;
using McpSharp.Transports.Http;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using static McpSharp.AspNetCore.Tests.TestSupport.TestServer;

namespace McpSharp.AspNetCore.Tests;

/// <summary>
/// The client's discovery steps against real servers on Kestrel: Protected Resource Metadata from the challenge or the
/// well-known URLs, refused when it names another resource (AUTH-PRM-CLIENT-ORDER, auth/resource-mismatch); an
/// authorization server's metadata in the spec's order of URLs, refused when it names another issuer (AUTH-ASMD-ORDER,
/// auth/metadata-issuer-mismatch), with its PKCE support read (AUTH-PKCE).
/// </summary>
public sealed class AuthorizationDiscoveryTests
{
    private static readonly HttpClient Http = new();

    private static Task<TestServer> ProtectedServerAsync(Uri? resource = null) => TestServer.StartAsync(
        services: s => s.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(),
        pipeline: app => app.UseAuthentication(),
        mcp: b => b.WithAuthorization(o =>
        {
            o.Resource = resource;
            o.AuthorizationServers.Add(new Uri("https://as.test/tenant1"));
        }));

    [Fact]
    public async Task The_metadata_is_found_from_the_challenge_and_from_the_well_known_url_alike()
    {
        await using var server = await ProtectedServerAsync();
        using var refused = await server.PostAsync(Init, protocolVersion: null);
        var challenge = McpAuthorizationChallenge.Parse(refused);

        var fromChallenge = await McpAuthorizationDiscovery.DiscoverResourceAsync(Http, server.Endpoint, challenge);
        var fromWellKnown = await McpAuthorizationDiscovery.DiscoverResourceAsync(Http, server.Endpoint);

        Assert.Equal(server.Endpoint.OriginalString, fromChallenge.Resource);
        Assert.Equal(["https://as.test/tenant1"], fromChallenge.AuthorizationServers);
        Assert.Equal(fromChallenge.Resource, fromWellKnown.Resource);
    }

    [Fact]
    public async Task A_protected_endpoint_without_an_authentication_scheme_fails_at_startup_not_with_500s()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => TestServer.StartAsync(
            mcp: b => b.WithAuthorization(o => o.AuthorizationServers.Add(new Uri("https://as.test")))));

        Assert.Contains("authentication", failure.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Metadata_that_names_another_resource_stops_the_flow()
    {
        await using var server = await ProtectedServerAsync(new Uri("http://other.test/mcp"));

        var refused = await Assert.ThrowsAsync<McpAuthorizationException>(() => McpAuthorizationDiscovery.DiscoverResourceAsync(Http, server.Endpoint));

        Assert.Contains("http://other.test/mcp", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_issuer_with_a_path_is_looked_up_in_the_specs_order_and_its_pkce_support_read()
    {
        var asked = new ConcurrentQueue<string>();
        await using var app = await AuthorizationServerAsync(asked, (origin, path) => path == "/.well-known/openid-configuration/tenant1"
            ? $$"""{"issuer":"{{origin}}/tenant1","authorization_endpoint":"{{origin}}/authorize","token_endpoint":"{{origin}}/token","code_challenge_methods_supported":["S256"]}"""
            : null);

        var metadata = await McpAuthorizationDiscovery.DiscoverAuthorizationServerAsync(Http, new Uri(app.Origin + "/tenant1"));

        Assert.Equal(["/.well-known/oauth-authorization-server/tenant1", "/.well-known/openid-configuration/tenant1"], asked);
        Assert.True(metadata.SupportsPkceS256);
        Assert.Equal(app.Origin + "/token", metadata.TokenEndpoint);
    }

    [Fact]
    public async Task An_issuer_without_a_path_tries_both_root_documents_and_refuses_one_for_another_issuer()
    {
        var asked = new ConcurrentQueue<string>();
        await using var app = await AuthorizationServerAsync(asked, (_, path) => path == "/.well-known/openid-configuration"
            ? """{"issuer":"https://evil.test","authorization_endpoint":"https://evil.test/authorize"}"""
            : null);

        var refused = await Assert.ThrowsAsync<McpAuthorizationException>(() => McpAuthorizationDiscovery.DiscoverAuthorizationServerAsync(Http, new Uri(app.Origin)));

        Assert.Equal(["/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"], asked);
        Assert.Contains("https://evil.test", refused.Message, StringComparison.Ordinal);
    }

    // An authorization server's metadata endpoints: every path asked is recorded; the document is what answer gives (null: 404).
    private static async Task<MetadataServer> AuthorizationServerAsync(ConcurrentQueue<string> asked, Func<string, string, string?> answer)
    {
        var app = LoopbackHost.CreateBuilder().Build();
        string origin = "";
        app.Run(async context =>
        {
            string path = context.Request.Path.Value!;
            asked.Enqueue(path);
            if (answer(origin, path) is { } json)
            {
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(json);
            }
            else
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
            }
        });
        origin = (await LoopbackHost.StartAsync(app, "")).GetLeftPart(UriPartial.Authority);
        return new MetadataServer(app, origin);
    }

    private sealed record MetadataServer(WebApplication App, string Origin) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => App.DisposeAsync();
    }
}

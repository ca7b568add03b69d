using McpSharp.AspNetCore.Authorization;
using McpSharp.AspNetCore.Http;
using McpSharp.AspNetCore.Sessions;
using McpSharp.AspNetCore.Streams;
using McpSharp.Server;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace McpSharp.AspNetCore;

/// <summary>Maps the MCP Streamable HTTP endpoint.</summary>
public static class McpEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the MCP endpoint (POST, GET, DELETE on one path; other methods get 405) served by the server registered with
    /// <c>AddMcpServer().WithHttpTransport()</c>. On application shutdown every session ends and its
    /// streams close. With <c>WithAuthorization</c>, every request needs a bearer token, and the endpoint's Protected
    /// Resource Metadata is served at its well-known URLs.
    /// </summary>
    public static IEndpointConventionBuilder MapMcp(this IEndpointRouteBuilder endpoints, string pattern = "/mcp")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        var server = services.GetRequiredService<McpServer>();
        var options = services.GetRequiredService<IOptions<McpHttpOptions>>().Value;
        var sessions = services.GetService<LiveSessions>()
            ?? throw new InvalidOperationException("MapMcp needs the HTTP transport: call builder.Services.AddMcpServer().WithHttpTransport() first.");
        var time = services.GetService<TimeProvider>() ?? TimeProvider.System;

        // Once, at startup: this node listens for answers sent to it and for changes the other nodes announce.
        sessions.Router.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        var resolver = new SessionResolver(sessions);
        var dispatcher = new PostDispatcher(options, time);
        var shared = new SessionlessSession(server);
        var heartbeat = services.GetRequiredService<KeepAliveHeartbeat>();
        var protectedResource = services.GetService<AuthorizationEnabled>() is null ? null : ProtectedResourceFor(services, pattern);
        var handler = new StreamableHttpHandler(
            new PostHandler(
                new SessionPost(sessions, resolver, dispatcher),
                new StatelessPost(shared, dispatcher),
                new PerRequestPost(server, shared, options, heartbeat, time),
                options,
                protectedResource),
            new GetHandler(resolver, options),
            new DeleteHandler(sessions, resolver),
            options,
            protectedResource);

        services.GetService<IHostApplicationLifetime>()?.ApplicationStopping.Register(() =>
        {
            // 2026-07-28 listen streams end with their closing result; then every session's running requests get the
            // grace period to answer (the rest are answered with a shutting-down error), and its streams close.
            server.CloseSubscriptions();
            sessions.CloseAllAsync(options.ShutdownGrace).AsTask().GetAwaiter().GetResult();
        });
        if (protectedResource is not null)
        {
            // RFC 9728 §3.1: the path-inserted well-known URL of this endpoint, and the root one.
            endpoints.MapGet(protectedResource.MetadataPath, protectedResource.WriteMetadataAsync).WithDisplayName("MCP Protected Resource Metadata");
            if (services.GetRequiredService<AuthorizationEnabled>().ClaimRootMetadata())
            {
                endpoints.MapGet(ProtectedResource.WellKnownPath, protectedResource.WriteMetadataAsync).WithDisplayName("MCP Protected Resource Metadata (root)");
            }
        }

        return endpoints.Map(pattern, handler.HandleAsync).WithDisplayName("MCP Streamable HTTP");
    }

    private static ProtectedResource ProtectedResourceFor(IServiceProvider services, string pattern)
    {
        var authorization = services.GetRequiredService<IOptions<McpAuthorizationOptions>>().Value;
        if (authorization.AuthorizationServers.Count == 0)
        {
            throw new InvalidOperationException("WithAuthorization needs at least one authorization server (McpAuthorizationOptions.AuthorizationServers).");
        }

        // Checked now, not on the first request: a protected endpoint without a way to read tokens would answer 500s.
        var schemes = services.GetService<IAuthenticationSchemeProvider>()
            ?? throw new InvalidOperationException("WithAuthorization needs ASP.NET Core authentication: services.AddAuthentication(...).AddJwtBearer(...).");
        var scheme = authorization.AuthenticationScheme is { } name
            ? schemes.GetSchemeAsync(name).GetAwaiter().GetResult()
            : schemes.GetDefaultAuthenticateSchemeAsync().GetAwaiter().GetResult();
        if (scheme is null)
        {
            throw new InvalidOperationException($"WithAuthorization needs the authentication scheme '{authorization.AuthenticationScheme ?? "(default)"}' to be registered: set McpAuthorizationOptions.AuthenticationScheme or a default scheme.");
        }

        var resource = new ProtectedResource(authorization, "/" + pattern.Trim('/'));
        var policies = services.GetRequiredService<Microsoft.AspNetCore.Authorization.IAuthorizationPolicyProvider>();
        foreach (string policy in resource.Access.Policies)
        {
            // Checked now too: a policy that is not registered would fail every request.
            if (policies.GetPolicyAsync(policy).GetAwaiter().GetResult() is null)
            {
                throw new InvalidOperationException($"WithAuthorization names the authorization policy '{policy}', which is not registered: services.AddAuthorization(o => o.AddPolicy(\"{policy}\", ...)).");
            }
        }

        return resource;
    }
}

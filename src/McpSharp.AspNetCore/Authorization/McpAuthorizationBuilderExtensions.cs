using McpSharp.AspNetCore.Authorization;
using McpSharp.Hosting;
using McpSharp.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace McpSharp.AspNetCore;

/// <summary>Makes the MCP endpoint an OAuth 2.1 protected resource.</summary>
public static class McpAuthorizationBuilderExtensions
{
    /// <summary>
    /// Every request to the endpoint <c>MapMcp</c> maps needs a valid bearer token (validated by the ASP.NET Core
    /// authentication scheme of <see cref="McpAuthorizationOptions.AuthenticationScheme"/>, after the Origin/Host guard):
    /// without one it gets 401 with a <c>WWW-Authenticate</c> challenge pointing at the endpoint's Protected Resource
    /// Metadata, which <c>MapMcp</c> serves at the path-inserted and root well-known URLs (RFC 9728). Configure at least
    /// one authorization server.
    /// </summary>
    public static IMcpServerBuilder WithAuthorization(this IMcpServerBuilder builder, Action<McpAuthorizationOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<McpAuthorizationOptions>().Configure(configure);

        // What a caller may not use is left out of its lists and refused when called (per-primitive scopes and
        // policies), after the application's own configuration, and together with a filter of its own, if it set one.
        builder.Services.AddOptions<McpServerOptions>().PostConfigure<IOptions<McpAuthorizationOptions>>(static (server, authorization) =>
        {
            var options = authorization.Value;
            var own = server.AccessFilter;
            server.AccessFilter = own is null
                ? (kind, name, user) => PrimitiveAccess.Allows(options, kind, name, user)
                : (kind, name, user) => PrimitiveAccess.Allows(options, kind, name, user) && own(kind, name, user);
        });
        builder.Services.AddAuthorization(); // per-primitive policies (with the marker the web host checks for)
        builder.Services.TryAddSingleton<AuthorizationEnabled>();
        return builder;
    }
}

using System.Security.Claims;
using McpSharp.Server;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace McpSharp.AspNetCore.Authorization;

/// <summary>
/// Who may use which tool, resource and prompt on a protected endpoint: its own scopes
/// (<see cref="McpAuthorizationOptions.ToolScopes"/> and the like) and its ASP.NET Core authorization policy
/// (<see cref="McpAuthorizationOptions.ToolPolicies"/> and the like). Policies are asynchronous and the server's
/// <see cref="McpAccessFilter"/> is not, so each policy is evaluated once per HTTP request, before dispatch, and the
/// ones the user satisfies travel with the request's principal on an identity of a private type: a claim of the same
/// name that arrives in a token proves nothing.
/// </summary>
internal sealed class PrimitiveAccess(McpAuthorizationOptions options)
{
    /// <summary>The claim naming a policy the request's user satisfies (on an identity that authenticates nothing).</summary>
    public const string PolicyClaim = "urn:mcpsharp:policy";

    private readonly string[] _policies = [.. options.ToolPolicies.Values.Concat(options.ResourcePolicies.Values).Concat(options.PromptPolicies.Values).Distinct(StringComparer.Ordinal)];

    /// <summary>The server's access filter: the primitive's scopes and policy, when it has them.</summary>
    public static bool Allows(McpAuthorizationOptions options, McpPrimitiveKind kind, string name, ClaimsPrincipal? user)
    {
        var (scopes, policies) = kind switch
        {
            McpPrimitiveKind.Tool => (options.ToolScopes, options.ToolPolicies),
            McpPrimitiveKind.Prompt => (options.PromptScopes, options.PromptPolicies),
            _ => (options.ResourceScopes, options.ResourcePolicies),
        };
        return (!scopes.TryGetValue(name, out var needed) || (user is not null && ProtectedResource.HasScopes(options, user, needed)))
            && (!policies.TryGetValue(name, out var policy) || user?.Identities.OfType<SatisfiedPolicies>().Any(i => i.HasClaim(PolicyClaim, policy)) == true);
    }

    /// <summary>The policies the endpoint's primitives name, for the startup check that each is registered.</summary>
    public IReadOnlyList<string> Policies => _policies;

    /// <summary>The principal the request's messages carry: the authenticated user, plus the policies it satisfies.</summary>
    public async ValueTask<ClaimsPrincipal> UserAsync(HttpContext http)
    {
        if (_policies.Length == 0)
        {
            return http.User;
        }

        var authorization = http.RequestServices.GetRequiredService<IAuthorizationService>();
        var satisfied = new SatisfiedPolicies();
        foreach (string policy in _policies)
        {
            if ((await authorization.AuthorizeAsync(http.User, policy).ConfigureAwait(false)).Succeeded)
            {
                satisfied.AddClaim(new Claim(PolicyClaim, policy));
            }
        }

        var user = new ClaimsPrincipal(http.User.Identities.Where(static i => i is not SatisfiedPolicies));
        user.AddIdentity(satisfied);
        return user;
    }

    /// <summary>Only this code makes these: the policies it evaluated for the request.</summary>
    private sealed class SatisfiedPolicies : ClaimsIdentity;
}

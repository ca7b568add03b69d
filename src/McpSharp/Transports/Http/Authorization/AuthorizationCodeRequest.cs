using System.Security.Cryptography;
using System.Text;
using System.Web;

namespace McpSharp.Transports.Http;

/// <summary>
/// One authorization request of the code flow and the checks on its answer: PKCE S256 (AUTH-PKCE), a <c>state</c>
/// that must come back (AUTH-STATE), the <c>resource</c> (AUTH-RESOURCE-PARAM), and the issuer recorded before the
/// redirect (M26-AUTH-ISS-RECORD) that the response's <c>iss</c> must equal (M26-AUTH-ISS-VALIDATE, RFC 9207).
/// </summary>
internal sealed class AuthorizationCodeRequest
{
    private readonly string _state;
    private readonly bool _issAdvertised;

    private AuthorizationCodeRequest(Uri url, string state, string verifier, string issuer, bool issAdvertised)
    {
        Url = url;
        _state = state;
        Verifier = verifier;
        Issuer = issuer;
        _issAdvertised = issAdvertised;
    }

    /// <summary>Where the user is sent.</summary>
    public Uri Url { get; }

    /// <summary>The PKCE verifier, sent with the code to the token endpoint.</summary>
    public string Verifier { get; }

    /// <summary>The issuer whose metadata this request was built from.</summary>
    public string Issuer { get; }

    /// <exception cref="McpAuthorizationException">The server does not offer PKCE with S256, or has no authorization endpoint.</exception>
    public static AuthorizationCodeRequest Create(AuthorizationServerMetadata server, string clientId, Uri redirectUri, string resource, string? scope)
    {
        if (!server.SupportsPkceS256)
        {
            throw new McpAuthorizationException($"The authorization server {server.Issuer} does not advertise PKCE with S256 (code_challenge_methods_supported); the flow stops here.");
        }

        if (!Uri.TryCreate(server.AuthorizationEndpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("https" or "http"))
        {
            throw new McpAuthorizationException($"The authorization server {server.Issuer} has no http(s) authorization_endpoint.");
        }

        string verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        string state = Base64Url(RandomNumberGenerator.GetBytes(16));
        var query = new StringBuilder(endpoint.Query.Length > 1 ? endpoint.Query[1..] + "&" : string.Empty);
        Append(query, "response_type", "code");
        Append(query, "client_id", clientId);
        Append(query, "redirect_uri", redirectUri.OriginalString);
        Append(query, "code_challenge", Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
        Append(query, "code_challenge_method", "S256");
        Append(query, "state", state);
        if (!string.IsNullOrEmpty(scope))
        {
            Append(query, "scope", scope);
        }

        Append(query, "resource", resource);
        var url = new UriBuilder(endpoint) { Query = query.ToString(0, query.Length - 1) }.Uri;
        return new AuthorizationCodeRequest(url, state, verifier, server.Issuer, server.AuthorizationResponseIssParameterSupported);
    }

    /// <summary>
    /// The code in the redirect, after the checks: the same <c>state</c>; the issuer's <c>iss</c>, compared as a plain
    /// string whether advertised or not, and required when advertised. A response that fails them is dropped unread: an
    /// <c>error</c> in it is not reported, since it may come from someone else.
    /// </summary>
    /// <exception cref="McpAuthorizationException">The response fails a check, or is the server's refusal.</exception>
    public string ReadCode(Uri redirect)
    {
        var query = HttpUtility.ParseQueryString(redirect.Query);
        string? iss = query["iss"];
        if (iss is null && _issAdvertised)
        {
            throw new McpAuthorizationException($"The authorization response has no 'iss', which {Issuer} says it sends (RFC 9207); it is refused.");
        }

        if (iss is not null && !string.Equals(iss, Issuer, StringComparison.Ordinal))
        {
            throw new McpAuthorizationException($"The authorization response comes from issuer '{iss}', not '{Issuer}' (RFC 9207); it is refused.");
        }

        if (!string.Equals(query["state"], _state, StringComparison.Ordinal))
        {
            throw new McpAuthorizationException("The authorization response's state is not the one sent; it is refused.");
        }

        if (query["error"] is { } error)
        {
            throw new McpAuthorizationException($"The authorization server refused: {error}{(query["error_description"] is { } description ? ": " + description : string.Empty)}.");
        }

        return query["code"] is { Length: > 0 } code
            ? code
            : throw new McpAuthorizationException("The authorization response has no code.");
    }

    internal static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static void Append(StringBuilder query, string name, string value) =>
        query.Append(name).Append('=').Append(Uri.EscapeDataString(value)).Append('&');
}

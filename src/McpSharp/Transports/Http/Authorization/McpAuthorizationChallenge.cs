using System.Net;

namespace McpSharp.Transports.Http;

/// <summary>
/// Supplies the bearer token an HTTP client sends on every request (AUTH-BEARER-HEADER): the seam where an OAuth flow
/// (<see cref="McpOAuthTokenProvider"/>), a token cache or a platform library plugs in. Called with null before each
/// request (keep it cheap: return the token held), and with the server's challenge when a request is refused (401, or
/// 403 <c>insufficient_scope</c>): return a token that answers it (a new one, or one with the scopes named: a
/// step-up), or null to give up.
/// </summary>
public delegate ValueTask<string?> McpAccessTokenProvider(McpAuthorizationChallenge? challenge, CancellationToken cancellationToken);

/// <summary>
/// What a server's <c>WWW-Authenticate: Bearer …</c> challenge asks for (RFC 6750 §3, RFC 9728 §5.1): the metadata to
/// discover its authorization server from, the scopes the refused request needs, and why it was refused.
/// </summary>
public sealed class McpAuthorizationChallenge
{
    /// <summary>401 (no token, or one refused) or 403 (not enough scope).</summary>
    public required HttpStatusCode StatusCode { get; init; }

    /// <summary><c>error</c>: <c>invalid_token</c>, <c>insufficient_scope</c>, or null.</summary>
    public string? Error { get; init; }

    /// <summary><c>error_description</c>, when given.</summary>
    public string? ErrorDescription { get; init; }

    /// <summary>
    /// <c>scope</c>: the scopes the refused request needs, space-separated (authoritative for this request,
    /// AUTH-SCOPE-AUTHORITATIVE).
    /// </summary>
    public string? Scope { get; init; }

    /// <summary><c>resource_metadata</c>: the server's Protected Resource Metadata URL (RFC 9728).</summary>
    public Uri? ResourceMetadata { get; init; }

    /// <summary>The token the refused request carried (null: none), so a provider can tell a stale refusal from a fresh one.</summary>
    internal string? RefusedToken { get; set; }

    /// <summary>The challenge of a refused response: its first <c>Bearer</c> challenge, or one with nothing in it.</summary>
    public static McpAuthorizationChallenge Parse(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var challenge in response.Headers.WwwAuthenticate)
        {
            if (string.Equals(challenge.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase) && challenge.Parameter is { } text)
            {
                Parse(text, parameters);
                break;
            }
        }

        return new McpAuthorizationChallenge
        {
            StatusCode = response.StatusCode,
            Error = parameters.GetValueOrDefault("error"),
            ErrorDescription = parameters.GetValueOrDefault("error_description"),
            Scope = parameters.GetValueOrDefault("scope"),
            ResourceMetadata = Uri.TryCreate(parameters.GetValueOrDefault("resource_metadata"), UriKind.Absolute, out var uri) ? uri : null,
        };
    }

    // auth-params (RFC 9110 §11.2): name=token or name="quoted string", separated by commas.
    private static void Parse(string text, Dictionary<string, string> parameters)
    {
        int i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && (text[i] == ',' || char.IsWhiteSpace(text[i])))
            {
                i++;
            }

            int nameStart = i;
            while (i < text.Length && text[i] != '=' && text[i] != ',' && !char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            string name = text[nameStart..i];
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i >= text.Length || text[i] != '=')
            {
                continue;
            }

            i++;
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            var value = new System.Text.StringBuilder();
            if (i < text.Length && text[i] == '"')
            {
                for (i++; i < text.Length && text[i] != '"'; i++)
                {
                    value.Append(text[i] == '\\' && i + 1 < text.Length ? text[++i] : text[i]);
                }

                i++;
            }
            else
            {
                for (; i < text.Length && text[i] != ','; i++)
                {
                    value.Append(text[i]);
                }
            }

            if (name.Length > 0)
            {
                parameters.TryAdd(name, value.ToString().Trim());
            }
        }
    }
}

using System.Security.Cryptography;
using System.Text;
using System.Web;
using McpSharp.Transports.Http;

namespace McpSharp.Tests.Transports;

/// <summary>
/// The checks of one authorization-code request (AuthorizationCodeRequest): what goes to the authorization endpoint
/// (AUTH-PKCE, AUTH-RESOURCE-PARAM, AUTH-STATE) and which redirects are refused before the code is redeemed
/// (M26-AUTH-ISS-VALIDATE, RFC 9207: plain string comparison, required when advertised).
/// </summary>
public sealed class AuthorizationCodeRequestTests
{
    private const string Issuer = "https://as.example";
    private static readonly Uri Redirect = new("http://127.0.0.1:5000/callback");

    private static AuthorizationServerMetadata Server(bool issAdvertised = true, string[]? pkce = null) => new()
    {
        Issuer = Issuer,
        AuthorizationEndpoint = Issuer + "/authorize?tenant=a",
        CodeChallengeMethodsSupported = pkce ?? ["S256"],
        AuthorizationResponseIssParameterSupported = issAdvertised,
    };

    private static (AuthorizationCodeRequest Request, string State) Create(AuthorizationServerMetadata server)
    {
        var request = AuthorizationCodeRequest.Create(server, "client-1", Redirect, "http://mcp.example", "a b");
        return (request, HttpUtility.ParseQueryString(request.Url.Query)["state"]!);
    }

    private static Uri Back(string query) => new(Redirect, "?" + query);

    [Fact]
    public void The_request_carries_pkce_s256_state_the_resource_verbatim_and_the_scope_and_keeps_the_endpoints_query()
    {
        var (request, state) = Create(Server());
        var query = HttpUtility.ParseQueryString(request.Url.Query);

        Assert.Equal("a", query["tenant"]);
        Assert.Equal(("code", "client-1", Redirect.OriginalString, "S256", "http://mcp.example", "a b"),
            (query["response_type"], query["client_id"], query["redirect_uri"], query["code_challenge_method"], query["resource"], query["scope"]));
        string expected = Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(request.Verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        Assert.Equal(expected, query["code_challenge"]);
        Assert.True(request.Verifier.Length >= 43 && state.Length >= 16);
    }

    [Fact]
    public void A_server_without_s256_is_refused_before_anything_is_sent_AUTH_PKCE()
    {
        Assert.Throws<McpAuthorizationException>(() => Create(Server(pkce: ["plain"])));
        Assert.Throws<McpAuthorizationException>(() => AuthorizationCodeRequest.Create(new AuthorizationServerMetadata { Issuer = Issuer, AuthorizationEndpoint = Issuer + "/authorize" }, "c", Redirect, "r", null));
    }

    [Fact]
    public void The_code_is_read_when_state_and_iss_match()
    {
        var (request, state) = Create(Server());
        Assert.Equal("the-code", request.ReadCode(Back($"code=the-code&state={state}&iss={Uri.EscapeDataString(Issuer)}")));
    }

    [Theory]
    [InlineData(true, "https://evil.example")] // another issuer
    [InlineData(true, "https://as.example/")] // the same one "normalized": still another string
    [InlineData(true, null)] // advertised, and missing
    [InlineData(false, "https://evil.example")] // not advertised, but present: compared all the same
    public void A_response_from_another_issuer_or_without_the_advertised_iss_is_refused_M26_AUTH_ISS_VALIDATE(bool advertised, string? iss)
    {
        var (request, state) = Create(Server(advertised));
        string query = $"code=c&state={state}" + (iss is null ? "" : "&iss=" + Uri.EscapeDataString(iss));

        var refused = Assert.Throws<McpAuthorizationException>(() => request.ReadCode(Back(query)));

        Assert.Contains("RFC 9207", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_an_advertised_iss_a_response_without_one_is_taken()
    {
        var (request, state) = Create(Server(issAdvertised: false));
        Assert.Equal("c", request.ReadCode(Back($"code=c&state={state}")));
    }

    [Fact]
    public void Another_state_is_refused_and_an_error_from_another_issuer_is_not_reported_AUTH_STATE()
    {
        var (request, state) = Create(Server());

        Assert.Contains("state", Assert.Throws<McpAuthorizationException>(() => request.ReadCode(Back($"code=c&state=other&iss={Uri.EscapeDataString(Issuer)}"))).Message, StringComparison.Ordinal);
        var forged = Assert.Throws<McpAuthorizationException>(() => request.ReadCode(Back($"error=access_denied&error_description=call+this+number&state={state}&iss=https%3A%2F%2Fevil.example")));
        Assert.DoesNotContain("call this number", forged.Message, StringComparison.Ordinal);
        Assert.Contains("access_denied", Assert.Throws<McpAuthorizationException>(() => request.ReadCode(Back($"error=access_denied&state={state}&iss={Uri.EscapeDataString(Issuer)}"))).Message, StringComparison.Ordinal);
    }
}

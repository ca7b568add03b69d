using System.Collections.Concurrent;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json;
using McpSharp.AspNetCore;
using McpSharp.Tests.Shared;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace McpSharp.Cli.Tests;

/// <summary>
/// <c>mcpsharp ls URL --login</c>, installed and run as a process, against an McpSharp server protected by
/// WithAuthorization and a scripted authorization server in the test: the tool prints the sign-in URL, the test's
/// "browser" follows it, the authorization server sends it back to the tool's listener on 127.0.0.1, and the tool
/// redeems the code with PKCE and lists the tools with the token.
/// </summary>
[Collection(InstalledToolGroup.Name)]
public sealed class LoginTests(InstalledTool tool) : IAsyncLifetime
{
    private const string Token = "cli-test-token";
    private readonly ConcurrentQueue<string> _log = new();
    private WebApplication _authorizationServer = null!;
    private WebApplication _mcp = null!;
    private string _issuer = "";
    private string _endpoint = "";

    public async Task InitializeAsync()
    {
        _authorizationServer = LoopbackHost.CreateBuilder().Build();
        _authorizationServer.MapGet("/.well-known/oauth-authorization-server", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = _issuer,
            ["authorization_endpoint"] = _issuer + "/authorize",
            ["token_endpoint"] = _issuer + "/token",
            ["registration_endpoint"] = _issuer + "/register",
            ["response_types_supported"] = new[] { "code" },
            ["code_challenge_methods_supported"] = new[] { "S256" },
            ["token_endpoint_auth_methods_supported"] = new[] { "none" },
            ["authorization_response_iss_parameter_supported"] = true,
        }));
        _authorizationServer.MapPost("/register", async (HttpContext http) =>
        {
            using var registration = await JsonDocument.ParseAsync(http.Request.Body);
            _log.Enqueue("register application_type=" + registration.RootElement.GetProperty("application_type").GetString());
            return Results.Json(new Dictionary<string, object> { ["client_id"] = "cli-client" }, statusCode: 201);
        });
        _authorizationServer.MapGet("/authorize", (HttpContext http) =>
        {
            var query = http.Request.Query;
            _log.Enqueue($"authorize client_id={query["client_id"]} method={query["code_challenge_method"]} resource={query["resource"]} scope={query["scope"]}");
            return Results.Redirect($"{query["redirect_uri"]}?code=the-code&state={Uri.EscapeDataString(query["state"]!)}&iss={Uri.EscapeDataString(_issuer)}");
        });
        _authorizationServer.MapPost("/token", async (HttpContext http) =>
        {
            var form = await http.Request.ReadFormAsync();
            _log.Enqueue($"token grant={form["grant_type"]} code={form["code"]} verifier={(form["code_verifier"].ToString().Length >= 43 ? "yes" : "no")} resource={form["resource"]}");
            return Results.Json(new Dictionary<string, object> { ["access_token"] = Token, ["token_type"] = "Bearer", ["expires_in"] = 3600 });
        });
        _issuer = (await LoopbackHost.StartAsync(_authorizationServer, "")).OriginalString;

        var builder = LoopbackHost.CreateBuilder();
        builder.Services.AddAuthentication("test-bearer").AddScheme<AuthenticationSchemeOptions, TestBearerHandler>("test-bearer", null);
        builder.Services.AddMcpServer().WithHttpTransport().WithServer(s => s.Tools.Add(
            new McpSharp.Protocol.Tool { Name = "whoami", InputSchema = JsonDocument.Parse("""{"type":"object"}""").RootElement },
            static ctx => ValueTask.FromResult(McpSharp.Protocol.CallToolResult.FromText(ctx.User?.FindFirst("sub")?.Value ?? "nobody"))))
            .WithAuthorization(o =>
            {
                o.AuthorizationServers.Add(new Uri(_issuer));
                o.ScopesSupported.Add("mcp:tools");
                o.RequiredScopes.Add("mcp:tools");
            });
        _mcp = builder.Build();
        _mcp.UseAuthentication();
        _mcp.MapMcp("/mcp");
        _endpoint = (await LoopbackHost.StartAsync(_mcp)).OriginalString;
    }

    public async Task DisposeAsync()
    {
        await _mcp.DisposeAsync();
        await _authorizationServer.DisposeAsync();
    }

    [Fact]
    public async Task Ls_with_login_signs_in_through_the_loopback_redirect_and_lists_with_the_token()
    {
        using var process = tool.Start("ls", _endpoint, "--login", "--json");
        try
        {
            await SignInAndListAsync(process);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    private async Task SignInAndListAsync(System.Diagnostics.Process process)
    {
        var output = process.StandardOutput.ReadToEndAsync();
        string? line;
        string signIn = "";
        while ((line = await process.StandardError.ReadLineAsync()) is not null)
        {
            if (line.StartsWith("mcpsharp: sign in at ", StringComparison.Ordinal))
            {
                signIn = line["mcpsharp: sign in at ".Length..];
                break;
            }
        }

        Assert.NotEqual("", signIn);

        // The browser: to the authorization server, which redirects it to the tool's listener.
        using (var browser = new HttpClient())
        using (var back = await browser.GetAsync(new Uri(signIn)))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, back.StatusCode);
            Assert.StartsWith("http://127.0.0.1:", back.RequestMessage!.RequestUri!.AbsoluteUri, StringComparison.Ordinal);
        }

        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);

        Assert.True(process.ExitCode == 0, await error);
        using var listing = JsonDocument.Parse(await output);
        Assert.Contains(listing.RootElement.GetProperty("tools").EnumerateArray(), t => t.GetProperty("name").GetString() == "whoami");
        Assert.Equal(
            [
                "register application_type=native",
                $"authorize client_id=cli-client method=S256 resource={_endpoint} scope=mcp:tools",
                $"token grant=authorization_code code=the-code verifier=yes resource={_endpoint}",
            ],
            _log);
    }

    [Fact]
    public async Task Login_with_a_stdio_target_or_with_bearer_is_a_usage_error()
    {
        var (stdioExit, _, stdioError) = await tool.RunAsync("ls", "--login", "--", "dotnet", "server.dll");
        var (bearerExit, _, bearerError) = await tool.RunAsync("ls", _endpoint, "--login", "--bearer", "x");

        Assert.Equal((2, 2), (stdioExit, bearerExit));
        Assert.Contains("stdio server", stdioError, StringComparison.Ordinal);
        Assert.Contains("not both", bearerError, StringComparison.Ordinal);
    }

    /// <summary>Accepts the one token the scripted authorization server issues, as user "cli-user" with scope mcp:tools.</summary>
    private sealed class TestBearerHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            string header = Request.Headers.Authorization.ToString();
            if (header.Length == 0)
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            return Task.FromResult(header == "Bearer " + Token
                ? AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "cli-user"), new Claim("scope", "mcp:tools")], "test-bearer")), "test-bearer"))
                : AuthenticateResult.Fail("unknown token"));
        }
    }
}

using System.Net;
using System.Security.Claims;
using System.Text;
using McpSharp.AspNetCore.Tests.TestSupport;
using McpSharp.Client;
using McpSharp.Transports.Http;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using static McpSharp.AspNetCore.Tests.TestSupport.TestServer;

namespace McpSharp.AspNetCore.Tests;

/// <summary>
/// The endpoint as an OAuth 2.1 protected resource (WithAuthorization) over a real Kestrel, with JwtBearer validating
/// tokens signed by a test key for this resource: the Protected Resource Metadata at both well-known URLs (AUTH-PRM-*),
/// the 401 challenge without a token or with a token for another resource (AUTH-401-INVALID, AUTH-AUDIENCE), the 403
/// insufficient_scope challenge (AUTH-403-SCOPE), the Origin guard first, and a valid token served.
/// </summary>
public sealed class AuthorizationTests : IAsyncLifetime
{
    private const string Resource = "http://mcp.test/mcp";
    private const string Issuer = "https://as.test";
    private const string OtherIssuer = "https://other-as.test";
    private const string MetadataUrl = "http://mcp.test/.well-known/oauth-protected-resource/mcp";
    private static readonly SymmetricSecurityKey Key = new(Encoding.UTF8.GetBytes("a test signing key of at least 256 bits, for tests only"));
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(
        services: s =>
        {
            s.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
            {
                o.MapInboundClaims = false;
                o.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuers = [Issuer, OtherIssuer],
                    ValidAudience = Resource,
                    IssuerSigningKey = Key,
                };
            });
            s.AddAuthorization(o => o.AddPolicy("AliceOnly", p => p.RequireClaim("sub", "alice")));
        },
        pipeline: app => app.UseAuthentication(),
        mcp: b => b.WithAuthorization(o =>
        {
            o.Resource = new Uri(Resource);
            o.AuthorizationServers.Add(new Uri(Issuer));
            o.ScopesSupported.Add("mcp:tools");
            o.ScopesSupported.Add("mcp:admin");
            o.RequiredScopes.Add("mcp:tools");
            o.ToolScopes["admin_echo"] = ["mcp:admin"];
            o.ResourceScopes["mem://secret"] = ["mcp:admin"];
            o.PromptScopes["secret_prompt"] = ["mcp:admin"];
            o.ToolPolicies["alice_tool"] = "AliceOnly";
            o.ToolPolicies["alice_route"] = "AliceOnly";
            o.ResourceName = "Test MCP server";
        }),
        configure: s =>
        {
            s.Tools.Add(
                new McpSharp.Protocol.Tool { Name = "admin_echo", InputSchema = Json("""{"type":"object"}""") },
                static _ => ValueTask.FromResult(McpSharp.Protocol.CallToolResult.FromText("admin")));
            s.Tools.Add(
                new McpSharp.Protocol.Tool { Name = "alice_tool", InputSchema = Json("""{"type":"object"}""") },
                static ctx => ValueTask.FromResult(McpSharp.Protocol.CallToolResult.FromText("for " + ctx.User?.FindFirst("sub")?.Value)));
            s.Tools.Add(
                new McpSharp.Protocol.Tool { Name = "alice_route", InputSchema = Json("""{"type":"object","properties":{"region":{"type":"string","x-mcp-header":"Region"}}}""") },
                static _ => ValueTask.FromResult(McpSharp.Protocol.CallToolResult.FromText("routed")));
            foreach (string uri in new[] { "mem://public", "mem://secret" })
            {
                s.Resources.Add(new McpSharp.Protocol.Resource { Uri = uri, Name = uri }, static ctx => ValueTask.FromResult(new McpSharp.Protocol.ReadResourceResult { Contents = [new McpSharp.Protocol.TextResourceContents { Uri = ctx.Params.Uri, Text = "t" }] }));
            }

            foreach (string name in new[] { "public_prompt", "secret_prompt" })
            {
                s.Prompts.Add(new McpSharp.Protocol.Prompt { Name = name }, static _ => ValueTask.FromResult(new McpSharp.Protocol.GetPromptResult()));
            }
        });

    public Task DisposeAsync() => _server.DisposeAsync().AsTask();

    private static string Token(string audience = Resource, string scope = "mcp:tools", string subject = "alice", string issuer = Issuer, Claim? extra = null) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity(extra is null ? [new Claim("sub", subject), new Claim("scope", scope)] : [new Claim("sub", subject), new Claim("scope", scope), extra]),
            Expires = DateTime.UtcNow.AddMinutes(10),
            SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.HmacSha256),
        });

    private Task<HttpResponseMessage> InitializeWithAsync(string? token, string? origin = null, TestServer? server = null) =>
        (server ?? _server).PostAsync(Init, protocolVersion: null, configure: r =>
        {
            if (token is not null)
            {
                r.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            }

            if (origin is not null)
            {
                r.Headers.TryAddWithoutValidation("Origin", origin);
            }
        });

    [Theory]
    [InlineData("/.well-known/oauth-protected-resource/mcp")]
    [InlineData("/.well-known/oauth-protected-resource")]
    public async Task The_protected_resource_metadata_is_served_at_the_path_inserted_and_root_well_known_urls(string path)
    {
        using var response = await _server.Client.GetAsync(new Uri(_server.Endpoint, path));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(
            """{"resource":"http://mcp.test/mcp","authorization_servers":["https://as.test"],"scopes_supported":["mcp:tools","mcp:admin"],"bearer_methods_supported":["header"],"resource_name":"Test MCP server"}""",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Without_a_configured_resource_the_metadata_and_challenge_name_the_url_the_request_reached()
    {
        await using var server = await TestServer.StartAsync(
            services: s => s.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(),
            pipeline: app => app.UseAuthentication(),
            mcp: b => b.WithAuthorization(o => o.AuthorizationServers.Add(new Uri(Issuer))));
        string origin = server.Endpoint.GetLeftPart(UriPartial.Authority);

        using var metadata = await server.Client.GetAsync(new Uri(server.Endpoint, "/.well-known/oauth-protected-resource/mcp"));
        Assert.Equal($$"""{"resource":"{{origin}}/mcp","authorization_servers":["https://as.test"],"bearer_methods_supported":["header"]}""", await metadata.Content.ReadAsStringAsync());
        using var challenged = await server.PostAsync(Init, protocolVersion: null);
        Assert.Equal(HttpStatusCode.Unauthorized, challenged.StatusCode);
        Assert.Equal($"Bearer resource_metadata=\"{origin}/.well-known/oauth-protected-resource/mcp\"", Assert.Single(challenged.Headers.GetValues("WWW-Authenticate")));
    }

    [Fact]
    public async Task Without_a_token_the_endpoint_answers_401_pointing_at_its_metadata_and_the_scope_it_needs()
    {
        foreach (var method in new[] { HttpMethod.Post, HttpMethod.Get, HttpMethod.Delete })
        {
            using var response = method == HttpMethod.Post ? await InitializeWithAsync(null) : await _server.SendAsync(method, "any-session");

            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal($"Bearer resource_metadata=\"{MetadataUrl}\", scope=\"mcp:tools\"", Assert.Single(response.Headers.GetValues("WWW-Authenticate")));
        }
    }

    [Theory]
    [InlineData("http://other.test/mcp")] // a token issued for another resource (RFC 8707)
    [InlineData("not-a-token")]
    public async Task A_token_for_another_resource_or_no_token_at_all_is_401_invalid_token(string audienceOrToken)
    {
        string token = audienceOrToken.StartsWith("http", StringComparison.Ordinal) ? Token(audience: audienceOrToken) : audienceOrToken;

        using var response = await InitializeWithAsync(token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal($"Bearer error=\"invalid_token\", resource_metadata=\"{MetadataUrl}\", scope=\"mcp:tools\"", Assert.Single(response.Headers.GetValues("WWW-Authenticate")));
    }

    [Fact]
    public async Task A_token_without_the_required_scope_is_403_insufficient_scope_naming_it()
    {
        using var response = await InitializeWithAsync(Token(scope: "mcp:admin"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal($"Bearer error=\"insufficient_scope\", scope=\"mcp:tools\", resource_metadata=\"{MetadataUrl}\"", Assert.Single(response.Headers.GetValues("WWW-Authenticate")));
    }

    [Theory]
    [InlineData(ProtocolMode.Legacy)]
    [InlineData(ProtocolMode.Modern)]
    public async Task A_call_that_times_out_while_the_provider_signs_in_is_never_sent_again(ProtocolMode mode)
    {
        // admin_echo needs mcp:admin: its call is refused 403 and the provider starts a step-up "sign-in" that outlasts
        // the call's timeout. The engine gives up on the call, so the transport stops waiting for the token and never
        // sends the call again (in a session as per request), though the sign-in would still have succeeded.
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var signingIn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var abandoned = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var signedIn = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        int adminCalls = 0;
        await using var client = await McpClient.ConnectAsync(
            new StreamableHttpClientTransport(new HttpClientTransportOptions
            {
                Endpoint = _server.Endpoint,
                OnRequest = async (request, cancellationToken) =>
                {
                    if (request.Content is { } content && (await content.ReadAsStringAsync(cancellationToken)).Contains("\"admin_echo\"", StringComparison.Ordinal))
                    {
                        Interlocked.Increment(ref adminCalls);
                    }
                },
                AccessTokenProvider = async (challenge, cancellationToken) =>
                {
                    if (challenge?.Error != "insufficient_scope")
                    {
                        return Token();
                    }

                    signingIn.TrySetResult();
                    try
                    {
                        return await signedIn.Task.WaitAsync(cancellationToken);
                    }
                    catch (OperationCanceledException)
                    {
                        abandoned.TrySetResult();
                        throw;
                    }
                },
            }),
            new McpClientOptions { ProtocolMode = mode, ListenForChanges = false },
            timeProvider: time);

        var call = client.CallToolAsync("admin_echo");
        await signingIn.Task.WaitAsync(TimeSpan.FromSeconds(30));
        time.Advance(TimeSpan.FromMinutes(2)); // past the call's timeout (60 s)

        await Assert.ThrowsAsync<TimeoutException>(() => call);
        await abandoned.Task.WaitAsync(TimeSpan.FromSeconds(30)); // the transport stopped waiting for the sign-in
        signedIn.SetResult(Token(scope: "mcp:tools mcp:admin")); // too late: nobody takes it

        // A backstop: once the provider has thrown (above), no retry can follow; the server saw only the refused POST.
        await client.PingAsync(); // a request after: the transport is still usable
        Assert.Equal(1, Volatile.Read(ref adminCalls));
    }

    [Fact]
    public async Task Scopes_are_read_from_the_claim_types_the_options_name()
    {
        // By default "scope" (space-separated), Entra ID's "scp" and OpenIddict's "oi_scp" (one scope a claim) count.
        foreach (string type in new[] { "scp", "oi_scp" })
        {
            using var accepted = await InitializeWithAsync(Token(scope: "", extra: new Claim(type, "mcp:tools")));
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }

        // A handler that maps scopes to one "permission" claim each: "scope" no longer counts, "permission" does.
        await using var server = await TestServer.StartAsync(
            services: s => s.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
            {
                o.MapInboundClaims = false;
                o.TokenValidationParameters = new TokenValidationParameters { ValidIssuer = Issuer, ValidAudience = Resource, IssuerSigningKey = Key };
            }),
            pipeline: app => app.UseAuthentication(),
            mcp: b => b.WithAuthorization(o =>
            {
                o.Resource = new Uri(Resource);
                o.AuthorizationServers.Add(new Uri(Issuer));
                o.RequiredScopes.Add("mcp:tools");
                o.ScopeClaimTypes.Clear();
                o.ScopeClaimTypes.Add("permission");
            }));

        using var byScope = await InitializeWithAsync(Token(scope: "mcp:tools"), server: server);
        using var byPermission = await InitializeWithAsync(Token(scope: "", extra: new Claim("permission", "mcp:tools")), server: server);

        Assert.Equal(HttpStatusCode.Forbidden, byScope.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byPermission.StatusCode);
    }

    private static void Bearer(HttpRequestMessage request, string token) =>
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);

    [Fact]
    public async Task A_tool_that_needs_another_scope_is_403_naming_every_scope_the_call_needs_until_the_token_has_them()
    {
        const string AdminCall = """{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"admin_echo"}}""";
        using var init = await InitializeWithAsync(Token());
        string session = init.Headers.GetValues("MCP-Session-Id").Single();
        await ReadMessagesAsync(init);

        using (var refused = await _server.PostAsync(AdminCall, session, configure: r => Bearer(r, Token())))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal($"Bearer error=\"insufficient_scope\", scope=\"mcp:tools mcp:admin\", resource_metadata=\"{MetadataUrl}\"", Assert.Single(refused.Headers.GetValues("WWW-Authenticate")));
            Assert.Equal(5, (await ReadMessagesAsync(refused)).Single().GetProperty("id").GetInt32());
        }

        // Other tools need only the endpoint's scopes; with the tool's scope too (a step-up), the call is served.
        using (var echo = await _server.PostAsync("""{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"echo","arguments":{"text":"x"}}}""", session, configure: r => Bearer(r, Token())))
        {
            Assert.Equal(HttpStatusCode.OK, echo.StatusCode);
        }

        using var stepped = await _server.PostAsync(AdminCall, session, configure: r => Bearer(r, Token(scope: "mcp:tools mcp:admin")));
        Assert.Equal(HttpStatusCode.OK, stepped.StatusCode);
        Assert.Equal("admin", (await ReadMessagesAsync(stepped)).Last().GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_2026_call_of_a_tool_that_needs_another_scope_is_refused_the_same_way()
    {
        using var refused = await _server.PostAsync(TaskRequests.Body("tools/call", "\"name\":\"admin_echo\",\"arguments\":{}"), protocolVersion: "2026-07-28", configure: r =>
        {
            r.Headers.TryAddWithoutValidation("Mcp-Method", "tools/call");
            r.Headers.TryAddWithoutValidation("Mcp-Name", "admin_echo");
            Bearer(r, Token());
        });

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("scope=\"mcp:tools mcp:admin\"", Assert.Single(refused.Headers.GetValues("WWW-Authenticate")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ProtocolMode.Legacy)]
    [InlineData(ProtocolMode.Modern)]
    public async Task A_client_with_a_token_provider_is_challenged_first_then_steps_up_for_a_tool_that_needs_more(ProtocolMode mode)
    {
        var challenges = new List<McpAuthorizationChallenge>();
        string? held = null;
        await using var client = await McpClient.ConnectAsync(
            new StreamableHttpClientTransport(new HttpClientTransportOptions
            {
                Endpoint = _server.Endpoint,
                AccessTokenProvider = (challenge, _) =>
                {
                    lock (challenges)
                    {
                        // The token held before each request (none until challenged); a challenge gets exactly the
                        // scopes it names.
                        if (challenge is not null)
                        {
                            challenges.Add(challenge);
                            held = Token(scope: challenge.Scope!);
                        }

                        return ValueTask.FromResult(held);
                    }
                },
            }),
            new McpClientOptions { ProtocolMode = mode });

        Assert.Equal("echo:x", Assert.IsType<McpSharp.Protocol.TextContentBlock>((await client.CallToolAsync("echo", new Dictionary<string, System.Text.Json.JsonElement> { ["text"] = Json("\"x\"") })).Content[0]).Text);
        Assert.Equal("admin", Assert.IsType<McpSharp.Protocol.TextContentBlock>((await client.CallToolAsync("admin_echo")).Content[0]).Text);

        McpAuthorizationChallenge[] seen;
        lock (challenges)
        {
            seen = [.. challenges];
        }

        Assert.Equal(2, seen.Length);
        Assert.Equal((HttpStatusCode.Unauthorized, null, "mcp:tools", MetadataUrl), (seen[0].StatusCode, seen[0].Error, seen[0].Scope, seen[0].ResourceMetadata?.OriginalString));
        Assert.Equal((HttpStatusCode.Forbidden, "insufficient_scope", "mcp:tools mcp:admin"), (seen[1].StatusCode, seen[1].Error, seen[1].Scope));
    }

    [Theory]
    [InlineData(ProtocolMode.Legacy)]
    [InlineData(ProtocolMode.Modern)]
    public async Task What_a_caller_may_not_use_is_left_out_of_its_lists_and_refused_with_a_step_up_challenge(ProtocolMode mode)
    {
        string scope = "mcp:tools";
        await using var client = await McpClient.ConnectAsync(
            new StreamableHttpClientTransport(new HttpClientTransportOptions
            {
                Endpoint = _server.Endpoint,
                AccessTokenProvider = (challenge, _) => ValueTask.FromResult<string?>(Token(scope: Volatile.Read(ref scope))),
            }),
            new McpClientOptions { ProtocolMode = mode });

        Assert.DoesNotContain((await client.ListToolsAsync()).Tools, t => t.Name == "admin_echo");
        Assert.Contains((await client.ListToolsAsync()).Tools, t => t.Name == "echo");
        Assert.Equal(["mem://public"], (await client.ListResourcesAsync()).Resources.Select(r => r.Uri));
        Assert.Equal(["public_prompt"], (await client.ListPromptsAsync()).Prompts.Select(p => p.Name));
        foreach (var call in new Func<Task>[] { () => client.ReadResourceAsync("mem://secret"), () => client.GetPromptAsync("secret_prompt") })
        {
            // 403 insufficient_scope naming the scopes (the provider had nothing better): the HTTP status in a session,
            // the JSON-RPC error of the 403's body for a per-request call.
            var refused = await Assert.ThrowsAnyAsync<Exception>(call);
            while (refused is not (McpHttpException or McpSharp.Protocol.McpProtocolException) && refused.InnerException is { } inner)
            {
                refused = inner;
            }

            Assert.True(refused is McpHttpException { StatusCode: 403 } || refused.Message.Contains("mcp:tools mcp:admin", StringComparison.Ordinal), refused.ToString());
        }

        Volatile.Write(ref scope, "mcp:tools mcp:admin");
        Assert.Contains((await client.ListToolsAsync()).Tools, t => t.Name == "admin_echo");
        Assert.Equal(["mem://public", "mem://secret"], (await client.ListResourcesAsync()).Resources.Select(r => r.Uri));
        Assert.Equal(["public_prompt", "secret_prompt"], (await client.ListPromptsAsync()).Prompts.Select(p => p.Name));
        Assert.Equal("t", ((McpSharp.Protocol.TextResourceContents)(await client.ReadResourceAsync("mem://secret")).Contents[0]).Text);
    }

    [Theory]
    [InlineData(ProtocolMode.Legacy)]
    [InlineData(ProtocolMode.Modern)]
    public async Task A_tool_behind_a_policy_is_seen_and_called_only_by_a_user_who_satisfies_it(ProtocolMode mode)
    {
        async Task<McpClient> ConnectAsAsync(string subject, Claim? extra = null) => await McpClient.ConnectAsync(
            new StreamableHttpClientTransport(new HttpClientTransportOptions
            {
                Endpoint = _server.Endpoint,
                AccessTokenProvider = (_, _) => ValueTask.FromResult<string?>(Token(subject: subject, extra: extra)),
            }),
            new McpClientOptions { ProtocolMode = mode });

        await using var alice = await ConnectAsAsync("alice");
        await using var bob = await ConnectAsAsync("bob");

        // A token that claims the policy as passed proves nothing: only the server's own evaluation counts.
        await using var forger = await ConnectAsAsync("mallory", new Claim("urn:mcpsharp:policy", "AliceOnly"));
        Assert.DoesNotContain((await forger.ListToolsAsync()).Tools, t => t.Name == "alice_tool");

        Assert.Contains((await alice.ListToolsAsync()).Tools, t => t.Name == "alice_tool");
        Assert.Equal("for alice", Assert.IsType<McpSharp.Protocol.TextContentBlock>((await alice.CallToolAsync("alice_tool")).Content[0]).Text);
        Assert.DoesNotContain((await bob.ListToolsAsync()).Tools, t => t.Name == "alice_tool");
        var refused = await Assert.ThrowsAsync<McpSharp.Protocol.McpProtocolException>(() => bob.CallToolAsync("alice_tool"));
        Assert.Equal(McpSharp.Protocol.McpErrorCodes.InvalidParams, refused.ErrorCode); // as if there were no such tool
    }

    [Fact]
    public async Task A_hidden_tool_with_header_parameters_is_answered_as_unknown_not_with_a_header_mismatch()
    {
        // Without its Mcp-Param-Region header: for alice a header mismatch (the tool exists for her); for bob, to whom it
        // does not exist, an unknown tool, exactly as for a name no tool has.
        async Task<System.Text.Json.JsonElement> CallAsAsync(string subject, string tool)
        {
            using var response = await _server.PostAsync(TaskRequests.Body("tools/call", $"\"name\":\"{tool}\",\"arguments\":{{\"region\":\"eu\"}}"), protocolVersion: "2026-07-28", configure: r =>
            {
                r.Headers.TryAddWithoutValidation("Mcp-Method", "tools/call");
                r.Headers.TryAddWithoutValidation("Mcp-Name", tool);
                Bearer(r, Token(subject: subject));
            });
            using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return body.RootElement.GetProperty("error").Clone();
        }

        var forAlice = await CallAsAsync("alice", "alice_route");
        var forBob = await CallAsAsync("bob", "alice_route");
        var noSuchTool = await CallAsAsync("bob", "no_such_tool");

        Assert.Equal(McpSharp.Protocol.McpErrorCodes.HeaderMismatch, forAlice.GetProperty("code").GetInt32());
        Assert.Equal(noSuchTool.GetProperty("code").GetInt32(), forBob.GetProperty("code").GetInt32());
        Assert.Equal(McpSharp.Protocol.McpErrorCodes.InvalidParams, forBob.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task A_provider_that_cannot_step_up_leaves_the_refusal_standing()
    {
        int asked = 0;
        await using var client = await McpClient.ConnectAsync(
            new StreamableHttpClientTransport(new HttpClientTransportOptions
            {
                Endpoint = _server.Endpoint,
                AccessTokenProvider = (challenge, _) =>
                {
                    if (challenge is not null)
                    {
                        Interlocked.Increment(ref asked);
                    }

                    return ValueTask.FromResult<string?>(Token());
                },
            }),
            new McpClientOptions { ProtocolMode = ProtocolMode.Legacy });
        int before = Volatile.Read(ref asked);

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => client.CallToolAsync("admin_echo"));

        var cause = refused;
        while (cause is not McpHttpException && cause.InnerException is { } inner)
        {
            cause = inner;
        }

        Assert.Equal(403, Assert.IsType<McpHttpException>(cause).StatusCode);
        Assert.Equal(before + 1, Volatile.Read(ref asked));
    }

    [Theory]
    [InlineData(ProtocolMode.Legacy)]
    [InlineData(ProtocolMode.Modern)]
    public async Task The_refused_requests_connection_is_free_while_the_provider_signs_in(ProtocolMode mode)
    {
        // One connection to the server in all (no standalone or listen stream to hold it): a sign-in that needs it (here,
        // reading the metadata the challenge names) goes through only if the refused request gave it back first. Held, it
        // would also have gone stale on servers that close idle connections (Node: 5 s) by the time it is sent again.
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1 });
        var metadata = new List<HttpStatusCode>();
        string? held = null;
        await using var client = await McpClient.ConnectAsync(
            new StreamableHttpClientTransport(new HttpClientTransportOptions
            {
                Endpoint = _server.Endpoint,
                HttpClient = http,
                OpenStandaloneStream = false,
                AccessTokenProvider = async (challenge, cancellationToken) =>
                {
                    if (challenge is null)
                    {
                        return held;
                    }

                    using var read = new HttpRequestMessage(HttpMethod.Get, new Uri(_server.Endpoint, "/.well-known/oauth-protected-resource/mcp"));
                    using var response = await http.SendAsync(read, cancellationToken).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
                    metadata.Add(response.StatusCode);
                    return held = Token();
                },
            }),
            new McpClientOptions { ProtocolMode = mode, ListenForChanges = false });

        Assert.Equal("echo:x", Assert.IsType<McpSharp.Protocol.TextContentBlock>((await client.CallToolAsync("echo", new Dictionary<string, System.Text.Json.JsonElement> { ["text"] = Json("\"x\"") })).Content[0]).Text);
        Assert.Equal([HttpStatusCode.OK], metadata);
    }

    [Fact]
    public async Task The_origin_guard_answers_before_authentication()
    {
        using var response = await InitializeWithAsync(null, origin: "http://evil.example");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(response.Headers.Contains("WWW-Authenticate"));
    }

    [Fact]
    public async Task A_valid_token_is_served_and_the_session_stays_its_users_and_issuers()
    {
        using var init = await InitializeWithAsync(Token());
        Assert.Equal(HttpStatusCode.OK, init.StatusCode);
        string session = init.Headers.GetValues("MCP-Session-Id").Single();
        await ReadMessagesAsync(init);

        using (var own = await _server.PostAsync(List, session, configure: r =>
            r.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token())))
        {
            Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        }

        // Another subject, or the same subject name from another authorization server, is another user.
        foreach (var token in new[] { Token(subject: "mallory"), Token(issuer: OtherIssuer) })
        {
            using var other = await _server.PostAsync(List, session, configure: r =>
                r.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token));
            Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
            Assert.False(other.Headers.Contains("WWW-Authenticate"));
        }
    }
}

using System.Net;
using McpSharp.AspNetCore.Tests.TestSupport;
using static McpSharp.AspNetCore.Tests.TestSupport.TestServer;

namespace McpSharp.AspNetCore.Tests;

/// <summary>DNS-rebinding protection, on by default: T23, T24, and the conformance suite's dns-rebinding-protection.</summary>
public sealed class SecurityTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(http => http.AllowedOrigins.Add("https://app.example.com"));

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("http://evil.example")]
    [InlineData("null")]
    [InlineData("https://app.example.com.evil.example")]
    public async Task T23_A_foreign_origin_is_403_on_every_method(string origin)
    {
        using (var post = await _server.PostAsync(Init, protocolVersion: null, configure: r => r.Headers.Add("Origin", origin)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        }

        using (var get = await _server.SendAsync(HttpMethod.Get, "x", configure: r => r.Headers.Add("Origin", origin)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, get.StatusCode);
        }

        Assert.Equal(0, _server.Sessions.Count);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("https://app.example.com")]
    [InlineData("http://localhost:6274")]
    [InlineData("http://127.0.0.1:9999")]
    public async Task No_origin_an_allowed_origin_or_a_loopback_origin_passes(string? origin)
    {
        using var response = await _server.PostAsync(Init, protocolVersion: null, configure: r =>
        {
            if (origin is not null)
            {
                r.Headers.Add("Origin", origin);
            }
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task T24_A_non_loopback_host_on_a_loopback_binding_is_403()
    {
        using var response = await _server.PostAsync(Init, protocolVersion: null, configure: r =>
        {
            r.Headers.Host = "evil.example.com";
            r.Headers.Add("Origin", "http://evil.example.com");
        });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Same_origin_loopback_request_passes_as_in_the_conformance_suite()
    {
        string authority = _server.Endpoint.Authority;
        using var response = await _server.PostAsync(Init, protocolVersion: null, configure: r =>
        {
            r.Headers.Host = authority;
            r.Headers.Add("Origin", "http://" + authority);
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}

using System.Net;
using System.Net.Sockets;
using McpSharp.Transports.Http;

namespace McpSharp.Tests.Transports;

/// <summary>
/// <see cref="McpLoopbackRedirect"/>, the redirect listener of desktop and CLI apps (RFC 8252 §7.3), over real sockets
/// on 127.0.0.1: the browser's return is taken with its whole query, other paths get 404, and a connection a browser
/// opens without using it (a preconnect) does not hold the real one up.
/// </summary>
public sealed class LoopbackRedirectTests
{
    [Fact]
    public async Task The_callback_is_answered_and_returned_with_its_query_after_an_idle_connection_and_a_stray_request()
    {
        using var loopback = McpLoopbackRedirect.Start();
        Assert.Equal("127.0.0.1", loopback.RedirectUri.Host);
        Assert.Equal("/callback", loopback.RedirectUri.AbsolutePath);
        var waiting = loopback.WaitAsync();

        // A preconnect: opened, never written to, still open while the real request comes.
        using var idle = new TcpClient();
        await idle.ConnectAsync(IPAddress.Loopback, loopback.RedirectUri.Port);

        using var browser = new HttpClient();
        using var stray = await browser.GetAsync(new Uri(loopback.RedirectUri, "/favicon.ico"));
        using var back = await browser.GetAsync(new Uri(loopback.RedirectUri, "/callback?code=abc&state=xyz&iss=https%3A%2F%2Fas.example"));
        var redirect = await waiting;

        Assert.Equal(HttpStatusCode.NotFound, stray.StatusCode);
        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
        Assert.Contains("close this window", await back.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("?code=abc&state=xyz&iss=https%3A%2F%2Fas.example", redirect.Query);
        Assert.Equal(loopback.RedirectUri.Port, redirect.Port);
    }

    [Fact]
    public async Task Waiting_stops_when_cancelled()
    {
        using var loopback = McpLoopbackRedirect.Start();
        using var cancel = new CancellationTokenSource();
        var waiting = loopback.WaitAsync(cancel.Token);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }
}

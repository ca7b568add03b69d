using System.Net.Sockets;
using System.Text;
using McpSharp.AspNetCore.Tests.TestSupport;

namespace McpSharp.AspNetCore.Tests;

/// <summary>Request framing that Kestrel itself cannot read: a clean 4xx, never a 500, and the server serves on.</summary>
public sealed class MalformedFramingTests
{
    // Sends raw bytes and returns the status line of the answer.
    private static async Task<string> SendRawAsync(Uri endpoint, string head, string body)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(endpoint.Host, endpoint.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head + body));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await reader.ReadLineAsync(timeout.Token) ?? string.Empty;
    }

    [Theory]
    [InlineData("FFFFFFFFFFFFFFFFFFFF\r\nabc\r\n0\r\n\r\n")] // a chunk size that overflows
    [InlineData("zz\r\nabc\r\n0\r\n\r\n")] // not a chunk size at all
    [InlineData("3\r\nabcdef\r\n0\r\n\r\n")] // a chunk longer than it said
    public async Task A_malformed_chunked_body_is_a_4xx_never_a_500(string chunked)
    {
        await using var server = await TestServer.StartAsync();
        string head = $"POST {server.Endpoint.AbsolutePath} HTTP/1.1\r\nHost: {server.Endpoint.Authority}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";
        string status = await SendRawAsync(server.Endpoint, head, chunked);
        Assert.StartsWith("HTTP/1.1 4", status, StringComparison.Ordinal);

        // And the server is fine.
        Assert.False(string.IsNullOrEmpty(await server.InitializeAsync()));
    }
}

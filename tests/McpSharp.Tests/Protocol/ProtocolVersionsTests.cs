using McpSharp.Protocol;

namespace McpSharp.Tests.Protocol;

public class ProtocolVersionsTests
{
    [Theory]
    [InlineData("2025-11-25")]
    [InlineData("2025-06-18")]
    [InlineData("2025-03-26")]
    [InlineData("2024-11-05")]
    public void A_supported_requested_version_is_echoed_VER_SERVER_ECHO(string requested) =>
        Assert.Equal(requested, ProtocolVersions.Negotiate(requested));

    [Theory]
    [InlineData("2099-01-01")]
    [InlineData("2026-07-28")] // served per request, never negotiated by initialize
    [InlineData("2024-10-07")]
    [InlineData("garbage")]
    [InlineData("")]
    [InlineData(null)]
    public void An_unsupported_requested_version_gets_the_latest_handshake_revision_VER_SERVER_ALT(string? requested) =>
        Assert.Equal("2025-11-25", ProtocolVersions.Negotiate(requested));

    [Fact]
    public void Only_2025_03_26_allows_batches()
    {
        Assert.True(ProtocolVersions.AllowsBatches("2025-03-26"));
        Assert.False(ProtocolVersions.AllowsBatches("2025-11-25"));
        Assert.False(ProtocolVersions.AllowsBatches("2024-11-05"));
    }
}

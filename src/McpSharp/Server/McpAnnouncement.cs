using System.Security.Cryptography;

namespace McpSharp.Server;

/// <summary>
/// A change a server announces to all its clients at once: <c>notifications/{tools,prompts,resources}/list_changed</c>,
/// or <c>notifications/resources/updated</c> for <see cref="Uri"/> (to the clients subscribed to it).
/// </summary>
/// <param name="Method">The notification's method.</param>
/// <param name="Uri">For <c>notifications/resources/updated</c>, the resource; otherwise null.</param>
public sealed record McpAnnouncement(string Method, string? Uri)
{
    /// <summary>
    /// Unique to this announcement (random), and kept when another process relays it (<see cref="McpServer.Relay"/>): where
    /// several processes serve one session, each offers the change to it and the session's stream keeps one copy by this id.
    /// </summary>
    public string Id { get; init; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
}

namespace McpSharp.Server;

/// <summary>
/// A change a server announces to all its clients at once: <c>notifications/{tools,prompts,resources}/list_changed</c>,
/// or <c>notifications/resources/updated</c> for <see cref="Uri"/> (to the clients subscribed to it).
/// </summary>
/// <param name="Method">The notification's method.</param>
/// <param name="Uri">For <c>notifications/resources/updated</c>, the resource; otherwise null.</param>
public sealed record McpAnnouncement(string Method, string? Uri);

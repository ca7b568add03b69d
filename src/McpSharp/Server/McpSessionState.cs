using McpSharp.Protocol;

namespace McpSharp.Server;

/// <summary>
/// What a 2025-era client negotiated and later changed in its session (<c>initialize</c>, <c>notifications/initialized</c>,
/// <c>logging/setLevel</c>, <c>resources/subscribe</c> and <c>unsubscribe</c>): everything a process needs to serve the
/// session's next request. A transport that spreads sessions over processes keeps it outside any one of them (see
/// <see cref="McpSessionOptions.State"/> and <see cref="McpSessionOptions.StateChanged"/>). Serializable with
/// <see cref="McpJsonContext"/>.
/// </summary>
public sealed record McpSessionState
{
    /// <summary>The negotiated protocol version; null until <c>initialize</c> was answered.</summary>
    public string? ProtocolVersion { get; init; }

    /// <summary>Who the client said it is.</summary>
    public Implementation? ClientInfo { get; init; }

    /// <summary>What the client declared in <c>initialize</c>.</summary>
    public ClientCapabilities? ClientCapabilities { get; init; }

    /// <summary>What the server declared in its <c>initialize</c> result.</summary>
    public ServerCapabilities? ServerCapabilities { get; init; }

    /// <summary>The level of <c>logging/setLevel</c>, if the client sent one.</summary>
    public LoggingLevel? LogLevel { get; init; }

    /// <summary>True once the client sent <c>notifications/initialized</c>.</summary>
    public bool Initialized { get; init; }

    /// <summary>The resources the client subscribed to.</summary>
    public IReadOnlyList<string> Subscriptions { get; init; } = [];
}

using System.Collections.Concurrent;

namespace McpSharp.Client;

/// <summary>
/// Remembers, per endpoint, that a server speaks only the handshake revisions, so that the next
/// <see cref="ProtocolMode.Auto"/> connection skips the <c>server/discover</c> probe and its round trip. An entry lives
/// for <see cref="TimeToLive"/> (a server may be upgraded) and is forgotten at once when a handshake with it fails, so
/// the next connection probes again. Share one instance between the clients that should share what they learned
/// (<see cref="McpClientOptions.EraCache"/>); the HTTP transport's endpoint URL is the key.
/// </summary>
public sealed class McpEraCache(TimeProvider? timeProvider = null)
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _handshakeOnly = new(StringComparer.Ordinal);

    /// <summary>How long a server is remembered as handshake-only (default 1 hour).</summary>
    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromHours(1);

    /// <summary>True when <paramref name="endpoint"/> was found to speak only the handshake revisions, recently enough.</summary>
    public bool IsHandshakeOnly(string endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (!_handshakeOnly.TryGetValue(endpoint, out var expires))
        {
            return false;
        }

        if (_time.GetUtcNow() < expires)
        {
            return true;
        }

        _handshakeOnly.TryRemove(KeyValuePair.Create(endpoint, expires));
        return false;
    }

    internal void RememberHandshakeOnly(string endpoint) => _handshakeOnly[endpoint] = _time.GetUtcNow() + TimeToLive;

    internal void Forget(string endpoint) => _handshakeOnly.TryRemove(endpoint, out _);
}

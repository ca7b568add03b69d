using System.Collections.Concurrent;

namespace McpSharp.Transports.Http;

/// <summary>
/// Keeps what an OAuth client must remember (AUTH-TOKEN-STORAGE): its tokens per MCP server, and the registrations it
/// obtained per authorization server, keyed by the issuer so they are never used with another (M26-AUTH-AS-BINDING).
/// Implement it over the platform's protected storage to keep them across runs; <see cref="InMemoryOAuthStore"/> keeps
/// them for the process's life.
/// </summary>
public interface IMcpOAuthStore
{
    /// <summary>The tokens held for the MCP server <paramref name="resource"/> (its canonical URL), or null.</summary>
    ValueTask<McpOAuthTokens?> GetTokensAsync(string resource, CancellationToken cancellationToken);

    /// <summary>Keeps the tokens for <paramref name="resource"/>, or forgets them (null).</summary>
    ValueTask SetTokensAsync(string resource, McpOAuthTokens? tokens, CancellationToken cancellationToken);

    /// <summary>The registration obtained from the authorization server <paramref name="issuer"/>, or null.</summary>
    ValueTask<McpOAuthClientCredentials?> GetClientAsync(string issuer, CancellationToken cancellationToken);

    /// <summary>Keeps a registration obtained from <paramref name="issuer"/>.</summary>
    ValueTask SetClientAsync(string issuer, McpOAuthClientCredentials client, CancellationToken cancellationToken);
}

/// <summary>The default <see cref="IMcpOAuthStore"/>: in this process's memory, gone when it ends.</summary>
public sealed class InMemoryOAuthStore : IMcpOAuthStore
{
    private readonly ConcurrentDictionary<string, McpOAuthTokens> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, McpOAuthClientCredentials> _clients = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public ValueTask<McpOAuthTokens?> GetTokensAsync(string resource, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_tokens.GetValueOrDefault(resource));

    /// <inheritdoc/>
    public ValueTask SetTokensAsync(string resource, McpOAuthTokens? tokens, CancellationToken cancellationToken)
    {
        if (tokens is null)
        {
            _tokens.TryRemove(resource, out _);
        }
        else
        {
            _tokens[resource] = tokens;
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<McpOAuthClientCredentials?> GetClientAsync(string issuer, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_clients.GetValueOrDefault(issuer));

    /// <inheritdoc/>
    public ValueTask SetClientAsync(string issuer, McpOAuthClientCredentials client, CancellationToken cancellationToken)
    {
        _clients[issuer] = client;
        return ValueTask.CompletedTask;
    }
}

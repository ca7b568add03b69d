using System.Runtime.CompilerServices;
using System.Text.Json;
using McpSharp.JsonRpc;
using McpSharp.Protocol;
using Microsoft.Extensions.Logging;

namespace McpSharp.Client;

/// <summary>How the client chooses the era and speaks each: the probe, the handshake, and the per-request mode.</summary>
public sealed partial class McpClient
{
    /// <summary>
    /// Listens for the server's change notifications (<c>subscriptions/listen</c>, revision 2026-07-28): yields the
    /// acknowledgement with the filter the server honours first, then every notification it sends for
    /// <paramref name="filter"/>. When the stream ends it listens again after a backoff (a new acknowledgement
    /// follows). Stop enumerating to end it. In a 2025 session the server sends changes on the session's own stream
    /// instead: use <see cref="ListChanged"/> and <see cref="ResourceUpdated"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The client speaks a 2025 revision.</exception>
    public IAsyncEnumerable<JsonRpcNotification> ListenAsync(SubscriptionFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var modern = _perRequest ?? throw new InvalidOperationException($"subscriptions/listen is a method of revision {ProtocolVersions.V20260728}; this client speaks {ProtocolVersion}, whose server sends changes on the session's stream (use the ListChanged and ResourceUpdated events).");
        return _listens!.ListenAsync(filter, modern.Meta.Stamp, cancellationToken);
    }

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        Capabilities = BuildCapabilities();
        var (mode, version) = ResolveMode(_options);
        _run = _connection.RunAsync(_stop.Token);
        var http = _transport as IPerRequestTransport;
        string? endpoint = http?.EndpointKey;
        if (mode == ProtocolMode.Auto && endpoint is not null && _options.EraCache?.IsHandshakeOnly(endpoint) == true)
        {
            try
            {
                await StartSessionAsync(version ?? ProtocolVersions.LatestHandshake, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (ex is McpProtocolException or IOException or NotSupportedException)
            {
                // What was learned no longer holds: probe again.
                LogEraForgotten(_logger, endpoint, ex.Message);
                _options.EraCache.Forget(endpoint);
            }
        }

        if (mode != ProtocolMode.Legacy)
        {
            var meta = new PerRequestMeta(version ?? ProtocolVersions.Latest, PerRequestCapabilities(), _options.ClientInfo);
            // Only a client that may fall back needs a quick answer: one set to per-request waits as for any request,
            // and a timeout stays a timeout (a loaded server is not a handshake server).
            bool mayFallBack = mode != ProtocolMode.Modern;
            var timeout = mayFallBack ? _options.DiscoverTimeout : _options.JsonRpc.RequestTimeout;
            var outcome = await EraProbe.RunAsync(_connection, meta, http, _tools, timeout, mayFallBack, cancellationToken).ConfigureAwait(false);
            if (outcome.Modern is { } modern)
            {
                StartPerRequest(modern, outcome.Discover!);
                return;
            }

            if (mode == ProtocolMode.Modern)
            {
                throw new NotSupportedException($"The server does not serve a per-request revision ({string.Join(", ", ProtocolVersions.PerRequest)}), and this client was set to speak only those.");
            }

            if (endpoint is not null)
            {
                _options.EraCache?.RememberHandshakeOnly(endpoint);
            }

            version ??= outcome.HandshakeVersion;
        }

        await StartSessionAsync(version ?? ProtocolVersions.LatestHandshake, cancellationToken).ConfigureAwait(false);
    }

    // The era and version the options ask for; a pinned version decides the era.
    private static (ProtocolMode Mode, string? Version) ResolveMode(McpClientOptions options)
    {
        string? version = options.ProtocolVersion;
        if (version is null)
        {
            return (options.ProtocolMode, null);
        }

        var pinned = ProtocolVersions.IsPerRequest(version) ? ProtocolMode.Modern
            : ProtocolVersions.IsHandshake(version) ? ProtocolMode.Legacy
            : throw new ArgumentException($"Protocol version '{version}' is not one this client speaks ({string.Join(", ", ProtocolVersions.Supported)}).", nameof(options));
        if (options.ProtocolMode != ProtocolMode.Auto && options.ProtocolMode != pinned)
        {
            throw new ArgumentException($"Protocol version '{version}' belongs to the {pinned} era, but ProtocolMode is {options.ProtocolMode}.", nameof(options));
        }

        return (pinned, version);
    }

    private async Task StartSessionAsync(string version, CancellationToken cancellationToken)
    {
        _handshakeVersion = version;
        if (_transport is ISessionTransport sessions && _recovery is null)
        {
            _recovery = new SessionRecovery(sessions, StartNewSessionAsync, _options, _time, _stop.Token);
            sessions.StandaloneStreamNotFound += OnStandaloneStreamNotFound;
        }

        _initialize = await HandshakeAsync(version, cancellationToken).ConfigureAwait(false);
    }

    // initialize, then notifications/initialized.
    private async Task<InitializeResult> HandshakeAsync(string version, CancellationToken cancellationToken)
    {
        var parameters = new InitializeRequestParams { ProtocolVersion = version, Capabilities = Capabilities, ClientInfo = _options.ClientInfo };
        var payload = await _connection.SendRequestAsync(McpMethods.Initialize, JsonPayload.FromValue(parameters, McpJsonContext.Default.InitializeRequestParams), null, _options.InitializeTimeout, cancellationToken).ConfigureAwait(false);
        var result = ReadResult(McpMethods.Initialize, payload, McpJsonContext.Default.InitializeResult);
        if (!ProtocolVersions.IsHandshake(result.ProtocolVersion))
        {
            throw new NotSupportedException($"The server answered protocol version '{result.ProtocolVersion}', which this client does not support ({string.Join(", ", ProtocolVersions.Handshake)}).");
        }

        await _connection.SendNotificationAsync(McpMethods.NotificationsInitialized, JsonPayload.None, null, cancellationToken).ConfigureAwait(false);
        return result;
    }

    // Revision 2026-07-28: what the server said in server/discover stands in for the initialize result; change
    // notifications come through a background listen.
    private void StartPerRequest(PerRequestMeta meta, DiscoverResult discover)
    {
        _perRequest = new PerRequestSender(_connection, _handler, _options, _tools, _time) { Meta = meta };

        // One for the client: listen ids are unique for the connection's lifetime.
        _listens = new ListenStream(_connection, _handler, _options, _time, _logger);
        _initialize = new InitializeResult
        {
            ProtocolVersion = meta.ProtocolVersion,
            Capabilities = discover.Capabilities,
            ServerInfo = ServerInfoOf(discover) ?? new Implementation { Name = string.Empty, Version = string.Empty },
            Instructions = discover.Instructions,
        };
        if (_options.ListenForChanges)
        {
            _changes = new ChangeFeed((filter, ct) => ListenAsync(filter, ct), _logger, _stop.Token);
            _ = _changes.ListenAsync(ChangeFilter());
        }
    }

    // Everything the server can tell about: its declared list changes, and the resources subscribed to.
    private SubscriptionFilter ChangeFilter()
    {
        var capabilities = _initialize.Capabilities;
        string[] uris;
        lock (_subscriptions)
        {
            uris = [.. _subscriptions];
        }

        return new SubscriptionFilter
        {
            ToolsListChanged = capabilities.Tools?.ListChanged == true ? true : null,
            PromptsListChanged = capabilities.Prompts?.ListChanged == true ? true : null,
            ResourcesListChanged = capabilities.Resources?.ListChanged == true ? true : null,
            ResourceSubscriptions = uris.Length > 0 ? uris : null,
        };
    }

    // Listens with the new subscriptions and waits (within the request timeout) until the server acknowledged them.
    private async Task RelistenAsync(CancellationToken cancellationToken)
    {
        _changes ??= new ChangeFeed((filter, ct) => ListenAsync(filter, ct), _logger, _stop.Token);
        await _changes.ListenAsync(ChangeFilter()).WaitAsync(_options.JsonRpc.RequestTimeout, _time, cancellationToken).ConfigureAwait(false);
    }

    // The serverInfo of a result's _meta (M26-META-SERVERINFO), or of the result itself as some servers send it.
    private static Implementation? ServerInfoOf(DiscoverResult discover)
    {
        try
        {
            if (discover.Meta?[RequestEnvelope.ServerInfoKey] is { } node)
            {
                return node.Deserialize(McpJsonContext.Default.Implementation);
            }

            return discover.AdditionalProperties?.TryGetValue("serverInfo", out var element) == true
                ? element.Deserialize(McpJsonContext.Default.Implementation)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(204, LogLevel.Information, "{Endpoint} was remembered as handshake-only, but the handshake failed ({Reason}); probing again.")]
    private static partial void LogEraForgotten(ILogger logger, string endpoint, string reason);
}

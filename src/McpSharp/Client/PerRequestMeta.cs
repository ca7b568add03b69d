using System.Text.Json;
using System.Text.Json.Nodes;
using McpSharp.Protocol;

namespace McpSharp.Client;

/// <summary>
/// The per-request protocol fields a 2026-07-28 client puts in every request's <c>params._meta</c>: the protocol
/// version, its capabilities (M26-META-CLIENTCAPS, M26-CAPS-PER-REQUEST), who it is (M26-META-CLIENTINFO) and, once the
/// application chose one, the log level. Other <c>_meta</c> members (a progress token) are kept.
/// </summary>
internal sealed class PerRequestMeta(string protocolVersion, ClientCapabilities capabilities, Implementation clientInfo)
{
    private readonly JsonNode _capabilities = JsonSerializer.SerializeToNode(capabilities, McpJsonContext.Default.ClientCapabilities) ?? new JsonObject();
    private readonly JsonNode _clientInfo = JsonSerializer.SerializeToNode(clientInfo, McpJsonContext.Default.Implementation) ?? new JsonObject();
    private volatile JsonNode? _logLevel;

    public string ProtocolVersion { get; } = protocolVersion;

    /// <summary>The lowest level of <c>notifications/message</c> wanted with each request; none means none (M26-META-LOGLEVEL).</summary>
    public LoggingLevel? LogLevel
    {
        set => _logLevel = value is { } level ? JsonSerializer.SerializeToNode(level, McpJsonContext.Default.LoggingLevel) : null;
    }

    /// <summary>The same fields for another version (after the server named the ones it serves).</summary>
    public PerRequestMeta WithVersion(string version) => new(version, capabilities, clientInfo) { _logLevel = _logLevel };

    public void Stamp(RequestParams parameters)
    {
        var meta = parameters.Meta ?? [];
        meta[RequestEnvelope.ProtocolVersionKey] = ProtocolVersion;
        meta[RequestEnvelope.ClientCapabilitiesKey] = _capabilities.DeepClone();
        meta[RequestEnvelope.ClientInfoKey] = _clientInfo.DeepClone();
        if (_logLevel is { } level)
        {
            meta[RequestEnvelope.LogLevelKey] = level.DeepClone();
        }
        else
        {
            meta.Remove(RequestEnvelope.LogLevelKey);
        }

        parameters.Meta = meta;
    }
}

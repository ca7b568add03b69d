using McpSharp.JsonRpc;
using McpSharp.Protocol;
using McpSharp.Transports.Http;
using Microsoft.AspNetCore.Http;

namespace McpSharp.AspNetCore.Http;

/// <summary>
/// Step 6, the era of a POST, decided from the body first and cross-checked with the <c>MCP-Protocol-Version</c>
/// header (checklist 2.1: a proxy that strips the header must not change the era). A message whose <c>_meta</c> claims
/// a protocol version is a 2026-07-28 request: its envelope must be whole (-32602), the header must be there and agree
/// (-32020), and the version must be one served per request (-32022). A 2026 header on a body without the claim is a
/// missing envelope (-32602), and on <c>initialize</c> a mismatch (-32020). Everything else is a 2025-era message.
/// All of these answers are 400, decided before the first byte (M26-HTTP-PV-*, checklist 2.3).
/// </summary>
internal static class EraClassifier
{
    public static EraDecision Classify(HttpRequest request, BodyResult body)
    {
        string? header = request.Headers[McpHttpHeaders.ProtocolVersion];
        header = string.IsNullOrWhiteSpace(header) ? null : header.Trim();
        bool modernHeader = ProtocolVersions.IsPerRequest(header);
        if (body.IsBatch)
        {
            // M26-HTTP-POST-ONLY: 2026-07-28 traffic is one message per POST.
            return body.Messages.Any(m => RequestEnvelope.TryGetClaim(m, out _))
                ? EraDecision.Reject(McpErrorCodes.InvalidRequest, "Invalid Request: revision 2026-07-28 sends one message per POST, never a batch.", body.FirstRequestId)
                : EraDecision.Handshake;
        }

        var message = body.Messages[0];
        if (message is not (JsonRpcRequest or JsonRpcNotification))
        {
            // A posted response: only the 2025 era has server-to-client requests to answer.
            return EraDecision.Handshake;
        }

        RequestId? id = (message as JsonRpcRequest)?.Id;
        if (!RequestEnvelope.TryGetClaim(message, out _))
        {
            if (message is JsonRpcNotification)
            {
                // Notifications carry no required envelope (checklist 5.2): the header decides, leniently.
                return modernHeader ? EraDecision.PerRequest(null) : EraDecision.Handshake;
            }

            if (!modernHeader)
            {
                return EraDecision.Handshake;
            }

            return ((JsonRpcRequest)message).Method == McpMethods.Initialize
                ? EraDecision.Reject(McpErrorCodes.HeaderMismatch, $"Header mismatch: initialize carries MCP-Protocol-Version {header}, a revision without initialize.", id)
                : EraDecision.Reject(McpErrorCodes.InvalidParams, "Invalid params: a 2026-07-28 request carries its protocol version and client capabilities in params._meta.", id);
        }

        var client = RequestEnvelope.Read(message, out var invalid);
        if (client is null)
        {
            return EraDecision.Reject(invalid!.Code, invalid.Message, id);
        }

        if (header is null)
        {
            return EraDecision.Reject(McpErrorCodes.HeaderMismatch, "Header mismatch: the MCP-Protocol-Version header is required.", id);
        }

        if (!string.Equals(header, client.ProtocolVersion, StringComparison.Ordinal))
        {
            return EraDecision.Reject(McpErrorCodes.HeaderMismatch, $"Header mismatch: MCP-Protocol-Version '{header}' does not match _meta protocolVersion '{client.ProtocolVersion}'.", id);
        }

        if (!ProtocolVersions.IsPerRequest(client.ProtocolVersion))
        {
            var error = McpErrors.UnsupportedProtocolVersion(client.ProtocolVersion, ProtocolVersions.PerRequest);
            return EraDecision.Reject(error.Code, error.Message, id, error.Data);
        }

        return EraDecision.PerRequest(client);
    }
}

/// <summary>The era of a POST, with the client context of a 2026 request, or the 400 to answer.</summary>
internal sealed record EraDecision(bool IsPerRequest, McpClientContext? Client, JsonRpcError? Error, RequestId? ErrorId)
{
    public static readonly EraDecision Handshake = new(false, null, null, null);

    public static EraDecision PerRequest(McpClientContext? client) => new(true, client, null, null);

    public static EraDecision Reject(int code, string message, RequestId? id, System.Text.Json.JsonElement? data = null) =>
        new(false, null, new JsonRpcError(code, message, data), id);
}

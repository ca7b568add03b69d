using System.Text.Json;
using McpSharp.JsonRpc;

namespace McpSharp.Protocol;

/// <summary>The errors of revision 2026-07-28 with their <c>data</c> shapes (M26-ERR-32020, -32021, -32022).</summary>
public static class McpErrors
{
    /// <summary>-32022: <paramref name="requested"/> is not served; <paramref name="supported"/> are.</summary>
    public static JsonRpcError UnsupportedProtocolVersion(string requested, IReadOnlyList<string> supported, string? message = null)
    {
        ArgumentNullException.ThrowIfNull(requested);
        ArgumentNullException.ThrowIfNull(supported);
        var data = new UnsupportedProtocolVersionData { Requested = requested, Supported = [.. supported] };
        return new JsonRpcError(
            McpErrorCodes.UnsupportedProtocolVersion,
            message ?? $"Unsupported protocol version '{requested}' (supported: {string.Join(", ", supported)}).",
            JsonSerializer.SerializeToElement(data, McpJsonContext.Default.UnsupportedProtocolVersionData));
    }

    /// <summary>-32021: the request needs <paramref name="required"/>, which the client did not declare.</summary>
    public static JsonRpcError MissingRequiredClientCapability(ClientCapabilities required, string what)
    {
        ArgumentNullException.ThrowIfNull(required);
        var data = new MissingRequiredClientCapabilityData { RequiredCapabilities = required };
        return new JsonRpcError(
            McpErrorCodes.MissingRequiredClientCapability,
            $"This request needs the client capability '{what}', which the request did not declare.",
            JsonSerializer.SerializeToElement(data, McpJsonContext.Default.MissingRequiredClientCapabilityData));
    }

    /// <summary>-32020: a header disagrees with the body, or a required one is missing or malformed.</summary>
    public static JsonRpcError HeaderMismatch(string detail) => new(McpErrorCodes.HeaderMismatch, "Header mismatch: " + detail);

    /// <summary>Throws <paramref name="error"/> as the answer to the request being handled.</summary>
    public static McpProtocolException ToException(this JsonRpcError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new McpProtocolException(error.Code, error.Message, error.Data);
    }
}

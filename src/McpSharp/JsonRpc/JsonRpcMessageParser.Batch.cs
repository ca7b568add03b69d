using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using McpSharp.Protocol;

namespace McpSharp.JsonRpc;

/// <summary>JSON-RPC batches (allowed only in protocol revision 2025-03-26).</summary>
public static partial class JsonRpcMessageParser
{
    /// <summary>True when the first non-whitespace byte opens a JSON array (a JSON-RPC batch).</summary>
    public static bool IsBatch(ReadOnlySpan<byte> utf8Json)
    {
        foreach (byte b in utf8Json)
        {
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            {
                continue;
            }

            return b == (byte)'[';
        }

        return false;
    }

    /// <summary>
    /// Splits a JSON array (a batch) into the slices of its elements. Returns false (with a -32700 or -32600 error)
    /// when the input is not valid JSON or the array is empty.
    /// </summary>
    public static bool TrySplitBatch(ReadOnlyMemory<byte> utf8Json, List<ReadOnlyMemory<byte>> elements, [NotNullWhen(false)] out JsonRpcError? error)
    {
        ArgumentNullException.ThrowIfNull(elements);
        try
        {
            var reader = new Utf8JsonReader(utf8Json.Span, isFinalBlock: true, state: default);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                error = InvalidRequest("Expected a JSON array.");
                return false;
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                int start = (int)reader.TokenStartIndex;
                reader.Skip();
                elements.Add(utf8Json[start..(int)reader.BytesConsumed]);
            }

            if (reader.Read())
            {
                throw new JsonException("Trailing content.");
            }

            error = elements.Count == 0 ? InvalidRequest("An empty batch is not a valid request.") : null;
            return error is null;
        }
        catch (JsonException)
        {
            error = new JsonRpcError(McpErrorCodes.ParseError, "Parse error: Invalid JSON");
            return false;
        }
    }
}

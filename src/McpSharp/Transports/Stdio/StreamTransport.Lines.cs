using System.Buffers;
using McpSharp.JsonRpc;
using McpSharp.Protocol;

namespace McpSharp.Transports.Stdio;

/// <summary>Splitting the input into lines and lines into messages (STDIO-NEWLINE), with the answers to bad input.</summary>
public sealed partial class StreamTransport
{
    // Takes the next newline-terminated line (or the rest at end of input) off the buffer. A line that ends an
    // oversized message being discarded is dropped here.
    private bool TryTakeLine(ref ReadOnlySequence<byte> buffer, bool isCompleted, out ReadOnlySequence<byte> line, out JsonRpcMessage? reply)
    {
        reply = null;
        while (true)
        {
            var newline = buffer.PositionOf((byte)'\n');
            if (newline is null)
            {
                if (isCompleted && !buffer.IsEmpty && !_discarding)
                {
                    line = buffer;
                    buffer = buffer.Slice(buffer.End);
                    return true;
                }

                line = default;
                return false;
            }

            line = buffer.Slice(0, newline.Value);
            buffer = buffer.Slice(buffer.GetPosition(1, newline.Value));
            if (_discarding)
            {
                _discarding = false;
                continue;
            }

            if (line.Length > _options.MaxMessageSize)
            {
                reply = TooLarge();
                line = default;
                return false;
            }

            return true;
        }
    }

    private JsonRpcErrorResponse TooLarge() =>
        new(null, new JsonRpcError(McpErrorCodes.InvalidRequest, $"Invalid Request: the message exceeds the {_options.MaxMessageSize}-byte limit."));

    private bool TryParseLine(ReadOnlySequence<byte> line, out JsonRpcMessage? message, out JsonRpcMessage? reply)
    {
        message = null;
        reply = null;
        // The message keeps slices of its bytes (params, result), so each line gets its own array.
        byte[] bytes = line.ToArray();
        int length = bytes.Length;
        while (length > 0 && bytes[length - 1] is (byte)'\r' or (byte)' ' or (byte)'\t')
        {
            length--;
        }

        if (length == 0 || IsWhitespace(bytes.AsSpan(0, length)))
        {
            return false;
        }

        var json = new ReadOnlyMemory<byte>(bytes, 0, length);
        if (JsonRpcMessageParser.IsBatch(json.Span))
        {
            return TryParseBatch(json, out message, out reply);
        }

        if (!JsonRpcMessageParser.TryParse(json, out message, out var error, out var errorId, out bool answerable))
        {
            // A malformed response is dropped, never answered (the peer would take the error for one of its requests).
            reply = answerable ? new JsonRpcErrorResponse(errorId, error) : null;
            return false;
        }

        return true;
    }

    // BASE-BATCH: a batch the session allows (2025-03-26) is split into its messages, which the read loop then returns one
    // by one; the responses to its requests leave together as one array line (StdioBatch). Elements that are not
    // messages are answered inside that array.
    private bool TryParseBatch(ReadOnlyMemory<byte> json, out JsonRpcMessage? message, out JsonRpcMessage? reply)
    {
        message = null;
        reply = null;
        var elements = new List<ReadOnlyMemory<byte>>();
        if (!JsonRpcMessageParser.TrySplitBatch(json, elements, out var splitError))
        {
            reply = new JsonRpcErrorResponse(null, splitError);
            return false;
        }

        var messages = new List<JsonRpcMessage>(elements.Count);
        var errors = new List<JsonRpcMessage>();
        foreach (var element in elements)
        {
            if (JsonRpcMessageParser.TryParse(element, out var parsed, out var error, out var errorId, out bool answerable))
            {
                messages.Add(parsed);
            }
            else if (answerable)
            {
                errors.Add(new JsonRpcErrorResponse(errorId, error));
            }
        }

        var refusal = ((IBatchingTransport)this).CheckBatch is { } check
            ? check(messages)
            : new JsonRpcError(McpErrorCodes.InvalidRequest, "Invalid Request: JSON-RPC batches are not supported here.");
        if (refusal is not null)
        {
            reply = new JsonRpcErrorResponse(null, refusal);
            return false;
        }

        int requests = messages.Count(m => m is JsonRpcRequest);
        if (requests > 0)
        {
            var batch = new StdioBatch(this, requests, errors);
            foreach (var request in messages.OfType<JsonRpcRequest>())
            {
                request.Route = batch;
            }
        }
        else if (errors.Count > 0)
        {
            reply = new JsonRpcBatch(errors);
        }

        var queue = _batched ??= new Queue<JsonRpcMessage>();
        foreach (var item in messages)
        {
            queue.Enqueue(item);
        }

        if (reply is null && queue.Count > 0)
        {
            message = queue.Dequeue();
            return true;
        }

        return false;
    }

    private static bool IsWhitespace(ReadOnlySpan<byte> span) => span.IndexOfAnyExcept(" \t\r"u8) < 0;
}

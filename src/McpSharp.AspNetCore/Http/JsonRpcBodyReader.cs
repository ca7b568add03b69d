using System.Buffers;
using System.IO.Pipelines;
using McpSharp.JsonRpc;
using McpSharp.Protocol;
using Microsoft.AspNetCore.Http;

namespace McpSharp.AspNetCore.Http;

/// <summary>
/// Step 5: reads the POST body within the size limit (413) and parses it: invalid JSON -> 400/-32700; valid JSON that
/// is not a JSON-RPC message (or <c>id: null</c>) -> 400/-32600. A batch is split here; whether the session may send
/// batches is decided once the session is known.
/// </summary>
internal static class JsonRpcBodyReader
{
    public static async Task<BodyResult> ReadAsync(HttpContext http, long maxSize)
    {
        var request = http.Request;
        if (request.ContentLength > maxSize)
        {
            return BodyResult.Fail(StatusCodes.Status413PayloadTooLarge, McpErrorCodes.InvalidRequest, $"Payload Too Large: the body exceeds {maxSize} bytes.");
        }

        byte[]? body;
        try
        {
            body = await ReadBodyAsync(request.BodyReader, maxSize, http.RequestAborted).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex)
        {
            // Kestrel refused the framing (bad chunk, wrong length, too slow): its status, never a 500.
            return BodyResult.Fail(ex.StatusCode, McpErrorCodes.ParseError, "Bad Request: " + ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && !http.RequestAborted.IsCancellationRequested)
        {
            // Anything else thrown while reading the body (a chunk size that overflows, a connection reset mid-body):
            // the body cannot be read, and that is the client's doing.
            return BodyResult.Fail(StatusCodes.Status400BadRequest, McpErrorCodes.ParseError, "Bad Request: the request body could not be read.");
        }

        if (body is null)
        {
            return BodyResult.Fail(StatusCodes.Status413PayloadTooLarge, McpErrorCodes.InvalidRequest, $"Payload Too Large: the body exceeds {maxSize} bytes.");
        }

        if (JsonRpcMessageParser.IsBatch(body))
        {
            var elements = new List<ReadOnlyMemory<byte>>();
            if (!JsonRpcMessageParser.TrySplitBatch(body, elements, out var batchError))
            {
                return BodyResult.Fail(StatusCodes.Status400BadRequest, batchError.Code, batchError.Message);
            }

            var messages = new List<JsonRpcMessage>(elements.Count);
            foreach (var element in elements)
            {
                if (!JsonRpcMessageParser.TryParse(element, out var message, out var error, out var id))
                {
                    return BodyResult.Fail(StatusCodes.Status400BadRequest, error.Code, error.Message, id);
                }

                messages.Add(message);
            }

            return new BodyResult(messages, IsBatch: true, 0, null);
        }

        if (!JsonRpcMessageParser.TryParse(body, out var single, out var singleError, out var singleId))
        {
            return BodyResult.Fail(StatusCodes.Status400BadRequest, singleError.Code, singleError.Message, singleId);
        }

        return new BodyResult([single], IsBatch: false, 0, null);
    }

    private static async Task<byte[]?> ReadBodyAsync(PipeReader reader, long maxSize, CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (read.Buffer.Length > maxSize)
            {
                reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
                return null;
            }

            if (read.IsCompleted)
            {
                byte[] bytes = read.Buffer.ToArray();
                reader.AdvanceTo(read.Buffer.End);
                return bytes;
            }

            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }
}

/// <summary>The parsed messages, or the status and error to answer.</summary>
internal sealed record BodyResult(IReadOnlyList<JsonRpcMessage> Messages, bool IsBatch, int Status, JsonRpcError? Error, RequestId? ErrorId = null)
{
    public bool Ok => Error is null;

    /// <summary>The id of the first request, for error answers that concern the whole body.</summary>
    public RequestId? FirstRequestId => Messages.OfType<JsonRpcRequest>().FirstOrDefault()?.Id;

    /// <summary>The <c>initialize</c> request of the body, if any.</summary>
    public JsonRpcRequest? Initialize => Messages.OfType<JsonRpcRequest>().FirstOrDefault(r => r.Method == McpMethods.Initialize);

    public static BodyResult Fail(int status, int code, string message, RequestId? id = null) =>
        new([], false, status, new JsonRpcError(code, message), id);
}

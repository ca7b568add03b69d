using System.Buffers;
using System.Threading.Channels;
using McpSharp.JsonRpc;
using McpSharp.Protocol;
using Microsoft.AspNetCore.Http;

namespace McpSharp.AspNetCore.Streams;

/// <summary>
/// The answer to one 2026-07-28 request (M26-HTTP-RESPONSE-CT). Nothing is written until the first message: when it
/// is the final response, the answer is that JSON with the status its error calls for (-32601 is 404; -32020, -32021
/// and -32022 are 400, decided before the first byte, checklist 2.8); when it is a notification (progress, a log
/// message, a listen acknowledgement), an SSE stream opens and carries everything up to the final response. No event
/// ids and no resumption (M26-HTTP-NO-RESUME); keep-alive comments on idle streams; a disconnect cancels the request
/// (M26-CANCEL-HTTP) and nothing more is written for it.
/// </summary>
internal sealed class PerRequestResponse : MessageRoute, IKeepAlive
{
    private readonly Channel<JsonRpcMessage?> _messages; // null: a keep-alive comment
    private readonly McpHttpOptions _options;
    private readonly TimeProvider _time;
    private long _lastWrite;
    private volatile bool _streaming;

    public PerRequestResponse(McpHttpOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        _messages = Channel.CreateBounded<JsonRpcMessage?>(new BoundedChannelOptions(options.StreamQueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    }

    public override async ValueTask SendAsync(JsonRpcMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await _messages.Writer.WriteAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            // The client is gone: nothing more goes out for this request.
        }
    }

    public override void OnRequestEndedWithoutResponse(RequestId id) => _messages.Writer.TryComplete();

    public void SendKeepAliveIfIdle(TimeSpan interval)
    {
        if (_streaming && _time.GetElapsedTime(Volatile.Read(ref _lastWrite)) >= interval)
        {
            Volatile.Write(ref _lastWrite, _time.GetTimestamp());
            _messages.Writer.TryWrite(null);
        }
    }

    /// <summary>Answers the request whose processing <paramref name="start"/> begins, until its final response is out.</summary>
    public async Task ServeAsync(HttpContext http, Func<Task> start, KeepAliveHeartbeat heartbeat)
    {
        var processing = start();
        var reader = _messages.Reader;
        var aborted = http.RequestAborted;
        try
        {
            if (!await reader.WaitToReadAsync(aborted).ConfigureAwait(false) || !reader.TryRead(out var first) || first is null)
            {
                return;
            }

            if (first is JsonRpcResponse or JsonRpcErrorResponse)
            {
                http.Response.StatusCode = StatusOf(first);
                http.Response.ContentType = "application/json";
                http.Response.ContentLength = null;
                http.Response.BodyWriter.Write(JsonRpcMessageWriter.ToUtf8Bytes(first));
                await http.Response.BodyWriter.FlushAsync(aborted).ConfigureAwait(false);
                return;
            }

            SseFraming.StartResponse(http);
            _streaming = true;
            heartbeat.Register(this);
            try
            {
                await PumpAsync(http, first, aborted).ConfigureAwait(false);
            }
            finally
            {
                heartbeat.Unregister(this);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The client went away: the request is cancelled through its token (M26-CANCEL-HTTP).
        }
        finally
        {
            _messages.Writer.TryComplete();
            SseFraming.Observe(processing);
        }
    }

    private async Task PumpAsync(HttpContext http, JsonRpcMessage first, CancellationToken aborted)
    {
        var writer = http.Response.BodyWriter;
        var reader = _messages.Reader;
        JsonRpcMessage? next = first;
        while (true)
        {
            do
            {
                if (next is null)
                {
                    SseFraming.WriteKeepAlive(writer);
                }
                else
                {
                    SseFraming.WriteEvent(writer, null, null, JsonRpcMessageWriter.ToUtf8Bytes(next));
                    if (next is JsonRpcResponse or JsonRpcErrorResponse)
                    {
                        // The final response ends the stream (M26-HTTP-RESPONSE-CT).
                        await writer.FlushAsync(aborted).ConfigureAwait(false);
                        return;
                    }
                }
            }
            while (reader.TryRead(out next));

            await writer.FlushAsync(aborted).ConfigureAwait(false);
            Volatile.Write(ref _lastWrite, _time.GetTimestamp());
            if (!await reader.WaitToReadAsync(aborted).ConfigureAwait(false) || !reader.TryRead(out next))
            {
                return;
            }
        }
    }

    // Status mapping before the first byte (checklist 2.1 step 9): an unknown method is 404; the ladder's own errors 400.
    private static int StatusOf(JsonRpcMessage message) => message is JsonRpcErrorResponse { Error.Code: var code }
        ? code switch
        {
            McpErrorCodes.MethodNotFound => StatusCodes.Status404NotFound,
            McpErrorCodes.HeaderMismatch or McpErrorCodes.MissingRequiredClientCapability or McpErrorCodes.UnsupportedProtocolVersion => StatusCodes.Status400BadRequest,
            _ => StatusCodes.Status200OK,
        }
        : StatusCodes.Status200OK;
}

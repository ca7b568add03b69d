using System.Buffers;
using System.Text.Json;
using System.Threading.Channels;
using McpSharp.JsonRpc;
using McpSharp.Protocol;

namespace McpSharp.Transports.Stdio;

/// <summary>
/// The writing side: one holder of <c>_writing</c> at a time serializes queued messages into the PipeWriter and flushes
/// once per burst; dispose takes that place for good to write out what is left.
/// </summary>
public sealed partial class StreamTransport
{
    private async Task TakeOverAndWriteOutAsync()
    {
        while (Interlocked.CompareExchange(ref _writing, 1, 0) != 0)
        {
            // Wait for the holder to let go. Both sides fence (Interlocked) before they look at the other's field, so
            // either the holder sees this completion source or this loop sees the place free.
            var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Interlocked.Exchange(ref _writerReleased, released);
            if (Volatile.Read(ref _writing) != 0)
            {
                await released.Task.ConfigureAwait(false);
            }
        }

        try
        {
            await DrainAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The reader of our output went away; nothing more can be delivered.
        }

        try
        {
            // Flushes what a drain left unflushed (for a sender that was arriving, or for read-ahead).
            await _output.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            // The reader of our output is gone.
        }
    }

    // Queues an answer the transport gives itself (to a malformed line) and has the pool write it: the read loop never
    // writes. Awaiting the bounded queue still gives a peer that floods bad lines without reading backpressure.
    private async ValueTask SendErrorAsync(JsonRpcMessage reply)
    {
        try
        {
            await _outgoing.Writer.WriteAsync(reply, CancellationToken.None).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            // The output is gone; there is nobody left to tell.
        }

        ScheduleDrain();
    }

    private void ScheduleDrain() =>
        ThreadPool.UnsafeQueueUserWorkItem(static transport => _ = transport.DrainQuietlyAsync(), this, preferLocal: false);

    private async Task DrainQuietlyAsync()
    {
        try
        {
            await TryDrainAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
            // Recorded in _writeFailed; every sender sees it.
        }
    }

    // Writes every queued message, then flushes once. Only the holder of _writing calls this.
    private async ValueTask DrainAsync()
    {
        if (Volatile.Read(ref _writeFailed) != 0)
        {
            return;
        }

        var reader = _outgoing.Reader;
        try
        {
            while (reader.TryRead(out var message))
            {
                if (TrySerialize(message))
                {
                    _output.Write(_buffer.WrittenSpan);
                    _output.Write("\n"u8);
                    Volatile.Write(ref _unflushed, true);
                }
            }

            // Flush unless another sender is about to queue (it flushes, so a burst goes out as one write) or the read
            // loop has more lines buffered (it flushes before it waits). Bytes a skipped flush left behind are flushed
            // by the next drain, even one that finds nothing queued.
            if (_unflushed && Volatile.Read(ref _arriving) == 0 && Volatile.Read(ref _readAhead) == 0)
            {
                Volatile.Write(ref _unflushed, false);
                var flush = await _output.FlushAsync().ConfigureAwait(false);
                if (flush.IsCompleted)
                {
                    throw new IOException("The output stream was closed.");
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // Nothing more can be written: fail every sender now instead of letting them wait on a full queue.
            Volatile.Write(ref _writeFailed, 1);
            _outgoing.Writer.TryComplete(ex as IOException ?? new IOException("The output failed.", ex));
            while (reader.TryRead(out _))
            {
            }

            throw new IOException("The output failed.", ex);
        }
    }

    private bool TrySerialize(JsonRpcMessage message)
    {
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        try
        {
            JsonRpcMessageWriter.Write(_json, message);
            _json.Flush();
            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NotSupportedException or ArgumentException)
        {
            if (message is not JsonRpcResponse response)
            {
                // A request or notification whose payload does not serialize: nothing is written, and the sender (long
                // since returned) hears of it, so a request fails now instead of waiting for its timeout.
                ((IMessageLossTransport)this).MessageLost?.Invoke(message, ex);
                return false;
            }

            _buffer.ResetWrittenCount();
            _json.Reset(_buffer);
            JsonRpcMessageWriter.Write(_json, new JsonRpcErrorResponse(response.Id, new JsonRpcError(McpErrorCodes.InternalError, "Internal error")));
            _json.Flush();
            return true;
        }
    }
}

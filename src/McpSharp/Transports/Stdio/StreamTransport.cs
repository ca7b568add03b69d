using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using System.Threading.Channels;
using McpSharp.JsonRpc;

namespace McpSharp.Transports.Stdio;

/// <summary>
/// MCP over a pair of byte streams with newline-delimited UTF-8 JSON (the stdio transport, STDIO-NEWLINE, STDIO-UTF8):
/// one compact JSON message per line, no BOM. Reads with a <see cref="PipeReader"/>; writes from a bounded queue
/// drained by one writer that flushes when the queue runs dry, so bursts are written together.
/// </summary>
/// <remarks>
/// Input that is not a message is answered here, not passed on: invalid JSON gets -32700, valid JSON that is not a
/// JSON-RPC message (or a batch) gets -32600, a line longer than <see cref="StdioTransportOptions.MaxMessageSize"/>
/// gets -32600; in every case the transport goes on reading.
/// </remarks>
public sealed partial class StreamTransport : IMcpTransport, IBlockingTransport, IMessageLossTransport, IBatchingTransport
{
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly StdioTransportOptions _options;
    private readonly Channel<JsonRpcMessage> _outgoing;
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly Utf8JsonWriter _json;
    private int _writing;
    private TaskCompletionSource? _writerReleased; // set by DisposeAsync while it waits for the holder of _writing
    private int _arriving;
    private bool _unflushed; // written only by the holder of _writing
    private int _readAhead; // 1: the read loop holds more complete lines, and flushes before it next waits for input
    private int _writeFailed;
    private const int Idle = 0, Reading = 1, Disposed = 2;
    private bool _discarding;
    private int _readState;
    private bool _disposed;
    private Queue<JsonRpcMessage>? _batched; // messages of a batch not yet returned (read loop only)
    private readonly bool _readsBlock;

    /// <summary>Creates a transport that reads <paramref name="input"/> and writes <paramref name="output"/>.</summary>
    public StreamTransport(Stream input, Stream output, StdioTransportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        _options = options ?? new StdioTransportOptions();
        _options.Validate();

        _input = PipeReader.Create(input, new StreamPipeReaderOptions(bufferSize: 16 * 1024, leaveOpen: true));
        _output = PipeWriter.Create(output, new StreamPipeWriterOptions(leaveOpen: true));
        _outgoing = Channel.CreateBounded<JsonRpcMessage>(new BoundedChannelOptions(Math.Max(1, _options.OutgoingQueueCapacity))
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _json = new Utf8JsonWriter(_buffer, McpSharp.JsonRpc.JsonWriting.Messages);
        _readsBlock = input is SynchronousStream;
    }

    bool IBlockingTransport.ReadsBlock => _readsBlock;

    /// <summary>The clock of <see cref="StdioTransportOptions.DrainTimeout"/> (tests set a manual one).</summary>
    internal TimeProvider DrainClock { get; set; } = TimeProvider.System;

    /// <inheritdoc />
    Action<JsonRpcMessage, Exception>? IMessageLossTransport.MessageLost { get; set; }

    /// <inheritdoc />
    Func<IReadOnlyList<JsonRpcMessage>, JsonRpcError?>? IBatchingTransport.CheckBatch { get; set; }

    /// <summary>
    /// A transport over this process's standard input and output. Reads and writes are synchronous on the calling
    /// thread (the read loop's own), so a message costs no thread hop.
    /// </summary>
    public static StreamTransport CreateStdio(StdioTransportOptions? options = null) =>
        new(new SynchronousStream(Console.OpenStandardInput()), new SynchronousStream(Console.OpenStandardOutput()), options);

    /// <inheritdoc />
    public async ValueTask<JsonRpcMessage?> ReceiveAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _readState, Reading, Idle) != Idle)
        {
            return null;
        }

        try
        {
            return await ReceiveCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Reading stopped mid-burst: nothing may stay held back for a loop that is not coming back.
            Interlocked.Exchange(ref _readAhead, 0);
            ScheduleDrain();
            throw;
        }
        finally
        {
            if (Interlocked.CompareExchange(ref _readState, Idle, Reading) != Reading)
            {
                // Disposed while reading: the reader is completed here, by the one who was using it.
                await _input.CompleteAsync().ConfigureAwait(false);
            }
        }
    }

    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<JsonRpcMessage?> ReceiveCoreAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_batched is { Count: > 0 } batched)
            {
                // The rest of a batch read earlier, one message at a time.
                return batched.Dequeue();
            }

            if (Volatile.Read(ref _readAhead) == 0 && Volatile.Read(ref _unflushed))
            {
                // Answers to the lines read ahead were held back to leave in one write: out they go before this loop
                // waits for more input (written by the pool: the loop never blocks on a write the peer may not drain).
                ScheduleDrain();
            }

            ReadResult read = await _input.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (read.IsCanceled)
            {
                // DisposeAsync cancelled the read.
                return null;
            }

            ReadOnlySequence<byte> buffer = read.Buffer;
            JsonRpcMessage? message = null;
            JsonRpcMessage? reply = null;
            bool gotLine = false;
            while (!gotLine && reply is null && TryTakeLine(ref buffer, read.IsCompleted, out ReadOnlySequence<byte> line, out reply))
            {
                gotLine = TryParseLine(line, out message, out reply);
            }

            if (!gotLine && reply is null && !_discarding && buffer.Length > _options.MaxMessageSize)
            {
                // The line so far already exceeds the limit: drop it as it streams in, answer once.
                _discarding = true;
                buffer = buffer.Slice(buffer.End);
                reply = TooLarge();
            }
            else if (!gotLine && reply is null && _discarding)
            {
                buffer = buffer.Slice(buffer.End);
            }

            // Pipelined input (several lines in one read): answers wait for the last of them, then leave together.
            // Looked at before AdvanceTo, after which the buffer must not be touched.
            bool moreLines = (gotLine || reply is not null) && buffer.PositionOf((byte)'\n') is not null;

            // A full fence (as for _writing): this store must not pass the read of _unflushed on the next call.
            Interlocked.Exchange(ref _readAhead, moreLines ? 1 : 0);
            if (gotLine || reply is not null)
            {
                // More lines may already be buffered: leave them unexamined so the next read returns at once.
                _input.AdvanceTo(buffer.Start);
            }
            else
            {
                _input.AdvanceTo(buffer.Start, buffer.End);
            }

            if (reply is not null)
            {
                // Awaited: a peer flooding bad lines while not reading our output meets backpressure, not memory growth.
                await SendErrorAsync(reply).ConfigureAwait(false);
                continue;
            }

            if (gotLine)
            {
                if (!moreLines && Volatile.Read(ref _unflushed))
                {
                    // The last line read ahead: what was held back for the burst leaves now, not when the caller is back.
                    ScheduleDrain();
                }

                return message;
            }

            if (read.IsCompleted)
            {
                return null;
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Whoever finds no write in progress writes on its own thread (no hop to a writer task), then writes whatever was
    /// queued meanwhile, so a burst still goes out with one flush. A sender that finds a write in progress queues its
    /// message (bounded: when the queue is full it waits, which is the backpressure).
    /// </remarks>
    public ValueTask SendAsync(JsonRpcMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);

        // The response to a request of a batch joins the batch's answer; everything else goes out as it comes.
        return message.Route is StdioBatch batch && message is JsonRpcResponse or JsonRpcErrorResponse
            ? batch.SendAsync(message, cancellationToken)
            : WriteAsync(message, cancellationToken);
    }

    /// <summary>Queues one line for the writer (see <see cref="SendAsync"/>).</summary>
    internal async ValueTask WriteAsync(JsonRpcMessage message, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _arriving);
        try
        {
            await _outgoing.Writer.WriteAsync(message, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Even if the message never got in, this sender still drains below: a writer that skipped its flush
            // because this sender was arriving must not leave its bytes unflushed.
            Interlocked.Decrement(ref _arriving);
            await TryDrainAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask TryDrainAsync()
    {
        while (Interlocked.CompareExchange(ref _writing, 1, 0) == 0)
        {
            try
            {
                await DrainAsync().ConfigureAwait(false);
            }
            finally
            {
                // A full fence: the reads below must not move before this release, or a flush skipped for read-ahead
                // that the read loop has just ended could be missed by both sides.
                Interlocked.Exchange(ref _writing, 0);
                Volatile.Read(ref _writerReleased)?.TrySetResult();
            }

            // Look again after dropping the flag: a message queued meanwhile, or bytes whose flush was skipped for a
            // sender that has since arrived (or failed to), or for read-ahead that has ended, would otherwise wait.
            if (!_outgoing.Reader.TryPeek(out _) && !(Volatile.Read(ref _unflushed) && Volatile.Read(ref _arriving) == 0 && Volatile.Read(ref _readAhead) == 0))
            {
                break;
            }
        }
    }

    /// <inheritdoc />
    public string? NetworkTransport => "pipe";

    /// <summary>
    /// Writes out what is queued (for at most <see cref="StdioTransportOptions.DrainTimeout"/>), then releases the
    /// streams (they are left open).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Interlocked.Exchange(ref _readAhead, 0);

        // No new messages. Then take the writer's place for good, write out what is still queued, flush and complete
        // the output: nothing already accepted is dropped, and the PipeWriter is never touched by two at once (a sender
        // that comes later finds the place taken and leaves). All of it bounded, and on the pool: the output may be
        // synchronous (stdout), and a peer that stopped reading must not hold dispose, or its caller's thread, forever.
        _outgoing.Writer.TryComplete();
        try
        {
            await Task.Run(TakeOverAndWriteOutAsync).WaitAsync(_options.DrainTimeout, DrainClock).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The writer (a sender's, or ours) is stuck on a full pipe; it keeps the PipeWriter, which is left alone.
        }

        if (Interlocked.Exchange(ref _readState, Disposed) == Reading)
        {
            // A read is in progress: cancel it; the reader completes the PipeReader on its way out.
            _input.CancelPendingRead();
        }
        else
        {
            await _input.CompleteAsync().ConfigureAwait(false);
        }
    }
}

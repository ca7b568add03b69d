namespace McpSharp.Transports.Stdio;

/// <summary>
/// Makes the asynchronous calls of a stream synchronous, for a read loop that owns a thread (see
/// JsonRpcConnection.ReadLoop.cs). The console streams of .NET implement only synchronous I/O; their
/// <c>ReadAsync</c>/<c>WriteAsync</c> fall back to <see cref="Stream"/>'s default, which queues the blocking call to the
/// thread pool and completes on another thread: two thread hops per message. The pipe from a child process (the stdio
/// client) does have asynchronous reads, but on Unix they complete on the socket engine's thread and hop to the pool;
/// a blocking read on the loop's own thread wakes that thread directly. Here the blocking call runs on the caller's
/// thread and the task comes back completed.
/// </summary>
/// <remarks>
/// Hand-written because no .NET type offers it: <see cref="System.IO.Pipes"/> and <see cref="FileStream"/> cannot
/// take over the process's inherited stdin/stdout handles with true asynchronous I/O on every platform.
/// </remarks>
internal sealed class SynchronousStream(Stream inner) : Stream
{
    public override bool CanRead => inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override int Read(Span<byte> buffer) => inner.Read(buffer);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        cancellationToken.IsCancellationRequested ? ValueTask.FromCanceled<int>(cancellationToken) : new(inner.Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        inner.Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        inner.Flush();
        return Task.CompletedTask;
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}

namespace McpSharp.JsonRpc;

/// <summary>
/// The read loop, and how it runs handlers inline without ever stalling for long. A request's handler runs on the
/// loop's thread until its first await (no hop to the thread pool: the fast path for stdio). A handler that keeps the
/// thread longer than <see cref="JsonRpcOptions.InlineStallThreshold"/> (a blocking call, CPU work, sync-over-async on
/// a response this very loop must read) is left where it is, and reading continues on a new loop on the thread pool;
/// the old loop ends when its handler returns. A stall watch (one periodic timer per connection, on the
/// connection's <see cref="TimeProvider"/>) makes that decision.
/// </summary>
internal sealed partial class JsonRpcConnection
{
    private readonly Lock _readerGate = new();
    private TaskCompletionSource? _readEnded;
    private CancellationToken _readToken;
    private int _readerGeneration;
    private int _inlineOwner = -1;
    private long _inlineStarted;
    private ITimer? _stallWatch;

    /// <summary>
    /// Reads and dispatches messages until the peer closes the connection or <paramref name="cancellationToken"/> fires.
    /// Then fails every outstanding outgoing request, lets running handlers finish for up to
    /// <see cref="JsonRpcOptions.ShutdownTimeout"/>, and cancels the rest.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdown.Token);
        _readToken = linked.Token;
        _readEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            StartReadLoop(generation: 0);
            await _readEnded.Task.WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            // Stopped: a loop blocked in a synchronous read (stdio) ends with the process or when its input closes.
        }
        finally
        {
            await CloseAsync(_options.ShutdownTimeout).ConfigureAwait(false);
        }
    }

    private async Task ReadLoopAsync(int generation)
    {
        var token = _readToken;
        try
        {
            while (await _transport.ReceiveAsync(token).ConfigureAwait(false) is { } message)
            {
                await ProcessMessageAsync(message, token).ConfigureAwait(false);
                if (Volatile.Read(ref _readerGeneration) != generation)
                {
                    // A handler held this loop past the stall threshold and reading moved to a newer loop.
                    return;
                }
            }

            _readEnded!.TrySetResult();
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            _readEnded!.TrySetResult();
        }
        catch (IOException ex)
        {
            // The transport says why it ended (e.g. the server process exited with a code): pending calls say so too.
            _closeReason = ex.Message;
            _readEnded!.TrySetResult();
        }
        catch (Exception ex)
        {
            _readEnded!.TrySetException(ex);
        }
    }

    private void RunInlineOnReadLoop(IncomingRequest entry)
    {
        int generation;
        lock (_readerGate)
        {
            generation = _readerGeneration;
            _inlineOwner = generation;
            _inlineStarted = _time.GetTimestamp();
            _stallWatch ??= _time.CreateTimer(static state => ((JsonRpcConnection)state!).CheckStall(), this, _options.InlineStallThreshold, _options.InlineStallThreshold);
        }

        _ = RunHandlerAsync(entry);
        lock (_readerGate)
        {
            if (_inlineOwner == generation)
            {
                _inlineOwner = -1;
            }
        }
    }

    private void CheckStall()
    {
        int next;
        lock (_readerGate)
        {
            if (_inlineOwner < 0 || _inlineOwner != _readerGeneration || _time.GetElapsedTime(_inlineStarted) < _options.InlineStallThreshold || _closing)
            {
                return;
            }

            next = ++_readerGeneration;
            _inlineOwner = -1;
        }

        LogReadingHandedOver(_logger, _options.InlineStallThreshold.TotalMilliseconds);
        StartReadLoop(next);
    }

    /// <summary>
    /// Starts a read loop on a thread of its own: a transport whose reads complete synchronously (stdio, where the
    /// read blocks) keeps that thread for good, so reading never occupies a thread-pool thread; any other transport
    /// leaves it at its first asynchronous wait.
    /// </summary>
    private void StartReadLoop(int generation)
    {
        var thread = new Thread(static state =>
        {
            var (connection, generation) = ((JsonRpcConnection, int))state!;
            _ = connection.ReadLoopAsync(generation);
        })
        {
            IsBackground = true,
            Name = "MCP read loop",
        };
        thread.UnsafeStart((this, generation));
    }

    private void StopStallWatch()
    {
        lock (_readerGate)
        {
            _stallWatch?.Dispose();
            _stallWatch = null;
        }
    }
}

namespace McpSharp.JsonRpc;

/// <summary>
/// The read loop, and how it keeps reading while it processes messages itself. A request's handler starts on the loop
/// and runs there until its first await (no hop to the thread pool: the fast path for stdio). Whatever holds the loop
/// in one message longer than <see cref="JsonRpcOptions.InlineStallThreshold"/> (a blocking or CPU-bound handler,
/// sync-over-async on a response only this loop can read, a slow notification handler, a write the peer is not
/// draining) is left where it is, and reading continues on a new loop; the old loop ends when its message is done.
/// A stall watch (one timer per connection, armed only while the loop is busy) makes that decision. Requests that must
/// be handled in order (<c>initialize</c>) are never overtaken this way.
/// </summary>
internal sealed partial class JsonRpcConnection
{
    private readonly Lock _readerGate = new();
    private TaskCompletionSource? _readEnded;
    private CancellationToken _readToken;
    private int _readerGeneration;
    private int _busyOwner = -1;
    private bool _busyMayHandOff;
    private long _busySince;
    private ITimer? _stallWatch;
    private bool _watchArmed;
    private bool _watchStopped;

    /// <summary>
    /// The clock of the stall watch: the system clock, whatever clock the connection uses for timeouts (a fake clock in
    /// someone's tests must not stop reading for good). Tests of the watch itself set it.
    /// </summary>
    internal TimeProvider StallClock { get; set; } = TimeProvider.System;

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
        lock (_readerGate)
        {
            _stallWatch = StallClock.CreateTimer(static state => ((JsonRpcConnection)state!).CheckStall(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        bool blocking = _transport is IBlockingTransport { ReadsBlock: true };
        try
        {
            StartReadLoop(generation: 0);

            // A loop blocked in a synchronous read cannot see the token: stopping does not wait for it (it ends with its
            // input, or with the process). Any other loop sees it and ends, so it is awaited as before.
            await (blocking ? _readEnded.Task.WaitAsync(linked.Token) : _readEnded.Task).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
        }
        finally
        {
            await CloseAsync(_options.ShutdownTimeout).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Starts a read loop: a blocking transport's on a thread of its own (kept for good), any other one right here until
    /// its first wait. A new loop from the stall watch runs on a new thread or the thread pool alike.
    /// </summary>
    private void StartReadLoop(int generation)
    {
        if (_transport is IBlockingTransport { ReadsBlock: true })
        {
            // Thread.Start flows the caller's ExecutionContext (logging scopes, Activity) to the loop.
            var thread = new Thread(static state =>
            {
                var (connection, generation) = ((JsonRpcConnection, int))state!;
                connection.ReadLoopBlocking(generation);
            })
            {
                IsBackground = true,
                Name = "MCP read loop",
            };
            thread.Start((this, generation));
        }
        else if (generation == 0)
        {
            _ = ReadLoopAsync(generation);
        }
        else
        {
            ThreadPool.QueueUserWorkItem(static state => _ = state.connection.ReadLoopAsync(state.generation), (connection: this, generation), preferLocal: false);
        }
    }

    private async Task ReadLoopAsync(int generation)
    {
        var token = _readToken;
        try
        {
            while (await _transport.ReceiveAsync(token).ConfigureAwait(false) is { } message)
            {
                if (_closing)
                {
                    break;
                }

                BeginMessage(generation, message);
                try
                {
                    await ProcessMessageAsync(message, token).ConfigureAwait(false);
                }
                finally
                {
                    generation = EndMessage(generation);
                }

                if (generation < 0)
                {
                    return;
                }
            }

            _readEnded!.TrySetResult();
        }
        catch (Exception ex)
        {
            EndReading(ex, token);
        }
    }

    /// <summary>The same loop, driven synchronously on its own thread: a blocking read never ties up a pool thread.</summary>
    private void ReadLoopBlocking(int generation)
    {
        var token = _readToken;
        try
        {
            while (Wait(_transport.ReceiveAsync(token)) is { } message)
            {
                if (_closing)
                {
                    break;
                }

                BeginMessage(generation, message);
                try
                {
                    Wait(ProcessMessageAsync(message, token));
                }
                finally
                {
                    generation = EndMessage(generation);
                }

                if (generation < 0)
                {
                    return;
                }
            }

            _readEnded!.TrySetResult();
        }
        catch (Exception ex)
        {
            EndReading(ex, token);
        }
    }

    private static T Wait<T>(ValueTask<T> task) => task.IsCompletedSuccessfully ? task.Result : task.AsTask().GetAwaiter().GetResult();

    private static void Wait(ValueTask task)
    {
        if (task.IsCompletedSuccessfully)
        {
            task.GetAwaiter().GetResult();
        }
        else
        {
            task.AsTask().GetAwaiter().GetResult();
        }
    }

    private void EndReading(Exception ex, CancellationToken token)
    {
        switch (ex)
        {
            case OperationCanceledException when token.IsCancellationRequested:
                _readEnded!.TrySetResult();
                break;
            case IOException:
                // The transport says why it ended (e.g. the server process exited with a code): pending calls say so too.
                _closeReason = ex.Message;
                _readEnded!.TrySetResult();
                break;
            default:
                _readEnded!.TrySetException(ex);
                break;
        }
    }

    private void BeginMessage(int generation, JsonRpcMessage message)
    {
        bool mayHandOff = !(message is JsonRpcRequest request && _handler.MustHandleInOrder(request));
        lock (_readerGate)
        {
            _busyOwner = generation;
            _busyMayHandOff = mayHandOff;
            _busySince = StallClock.GetTimestamp();
            if (!_watchArmed && !_watchStopped && _stallWatch is not null)
            {
                _watchArmed = _stallWatch.Change(_options.InlineStallThreshold, _options.InlineStallThreshold);
            }
        }
    }

    /// <summary>Marks the message done; returns the generation to go on reading with, or -1 when reading moved on.</summary>
    private int EndMessage(int generation)
    {
        lock (_readerGate)
        {
            if (_busyOwner == generation)
            {
                _busyOwner = -1;
            }

            return _readerGeneration == generation ? generation : -1;
        }
    }

    private void CheckStall()
    {
        int next;
        lock (_readerGate)
        {
            if (_busyOwner < 0)
            {
                // Idle: the watch sleeps until the loop is busy again.
                _stallWatch?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                _watchArmed = false;
                return;
            }

            if (_busyOwner != _readerGeneration || !_busyMayHandOff || _closing || StallClock.GetElapsedTime(_busySince) < _options.InlineStallThreshold)
            {
                return;
            }

            next = ++_readerGeneration;
            _busyOwner = -1;
        }

        try
        {
            StartReadLoop(next);
            LogReadingHandedOver(_logger, _options.InlineStallThreshold.TotalMilliseconds);
        }
        catch (Exception ex) when (ex is OutOfMemoryException or ThreadStartException or InvalidOperationException)
        {
            // No thread to be had: the thread pool reads instead (slower for a blocking transport, but reading goes on).
            ThreadPool.QueueUserWorkItem(static state => state.connection.ReadLoopBlocking(state.next), (connection: this, next), preferLocal: false);
        }
    }

    private void StopStallWatch()
    {
        lock (_readerGate)
        {
            _watchStopped = true;
            _stallWatch?.Dispose();
            _stallWatch = null;
        }
    }
}

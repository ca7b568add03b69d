using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using McpSharp.JsonRpc;
using McpSharp.Protocol;
using McpSharp.Tests.TestSupport;
using McpSharp.Transports.Stdio;

namespace McpSharp.Tests.Transports;

/// <summary>The newline-delimited transport over in-process pipes (the process-level tests are in EndToEnd).</summary>
public sealed class StreamTransportTests : IAsyncDisposable
{
    private readonly Pipe _toServer = new();
    private readonly Pipe _fromServer = new();
    private readonly StreamTransport _transport;
    private readonly StreamReader _output;

    public StreamTransportTests()
    {
        _transport = new StreamTransport(_toServer.Reader.AsStream(), _fromServer.Writer.AsStream(), new StdioTransportOptions { MaxMessageSize = 64 });
        _output = new StreamReader(_fromServer.Reader.AsStream(), new UTF8Encoding(false));
    }

    private async Task WriteAsync(string text) => await _toServer.Writer.WriteAsync(Encoding.UTF8.GetBytes(text));

    private async Task<JsonElement> ReadLineAsync()
    {
        string line = (await _output.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)))!;
        return JsonDocument.Parse(line).RootElement.Clone();
    }

    private async Task<JsonRpcMessage?> ReceiveAsync() => await _transport.ReceiveAsync(default).AsTask().WaitAsync(TimeSpan.FromSeconds(30));

    [Fact]
    public async Task Reads_several_messages_from_one_chunk_and_tolerates_crlf_and_blank_lines()
    {
        await WriteAsync("{\"jsonrpc\":\"2.0\",\"method\":\"a\"}\r\n\n{\"jsonrpc\":\"2.0\",\"method\":\"b\"}\n");
        Assert.Equal("a", Assert.IsType<JsonRpcNotification>(await ReceiveAsync()).Method);
        Assert.Equal("b", Assert.IsType<JsonRpcNotification>(await ReceiveAsync()).Method);
    }

    [Fact]
    public async Task Answers_to_pipelined_lines_leave_together_and_none_is_held_back()
    {
        // Three requests in one chunk: answered as they are read, flushed once the last buffered line is taken.
        await WriteAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"a\"}\n{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"b\"}\n{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"c\"}\n");
        for (int id = 1; id <= 3; id++)
        {
            var request = Assert.IsType<JsonRpcRequest>(await ReceiveAsync());
            await _transport.SendAsync(new JsonRpcResponse(request.Id, JsonPayload.FromRaw("{}"u8.ToArray())), default);
        }

        // Nothing more is read: each answer is out without another call to ReceiveAsync.
        for (int id = 1; id <= 3; id++)
        {
            Assert.Equal(id, (await ReadLineAsync()).GetProperty("id").GetInt32());
        }
    }

    [Fact]
    public async Task An_answer_sent_after_the_last_buffered_line_is_flushed_at_once()
    {
        await WriteAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"a\"}\n{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"b\"}\n");
        var first = Assert.IsType<JsonRpcRequest>(await ReceiveAsync());
        await _transport.SendAsync(new JsonRpcResponse(first.Id, JsonPayload.FromRaw("{}"u8.ToArray())), default);   // held: line 2 is buffered
        var second = Assert.IsType<JsonRpcRequest>(await ReceiveAsync());                                              // the held answer leaves here
        Assert.Equal(1, (await ReadLineAsync()).GetProperty("id").GetInt32());
        await _transport.SendAsync(new JsonRpcResponse(second.Id, JsonPayload.FromRaw("{}"u8.ToArray())), default);
        Assert.Equal(2, (await ReadLineAsync()).GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task The_read_loop_never_waits_on_a_write_the_peer_is_not_draining()
    {
        // Output that accepts nothing until the gate opens, as when the peer is itself blocked writing to us.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new Pipe();
        await using var transport = new StreamTransport(_toServer.Reader.AsStream(), new GatedStream(output.Writer.AsStream(), gate.Task));
        await WriteAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"a\"}\n{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"b\"}\n");
        var first = Assert.IsType<JsonRpcRequest>(await transport.ReceiveAsync(default).AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
        await transport.SendAsync(new JsonRpcResponse(first.Id, JsonPayload.FromRaw("{}"u8.ToArray())), default).AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        // Taking the last buffered line releases the held answer; the write it starts waits on the gate, not the reader.
        Assert.IsType<JsonRpcRequest>(await transport.ReceiveAsync(default).AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
        gate.SetResult();
        var line = await new StreamReader(output.Reader.AsStream()).ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, JsonDocument.Parse(line!).RootElement.GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task Dispose_waits_for_a_write_in_progress_and_then_writes_out_the_queue()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new Pipe();
        var transport = new StreamTransport(_toServer.Reader.AsStream(), new GatedStream(output.Writer.AsStream(), gate.Task), new StdioTransportOptions { DrainTimeout = TimeSpan.FromSeconds(30) });
        var first = transport.SendAsync(new JsonRpcNotification("first", JsonPayload.None), default).AsTask();
        var second = transport.SendAsync(new JsonRpcNotification("second", JsonPayload.None), default).AsTask();
        var disposing = transport.DisposeAsync().AsTask();
        Assert.False(disposing.IsCompleted); // the first write holds the output until the gate opens

        gate.SetResult();
        await Task.WhenAll(first, second, disposing).WaitAsync(TimeSpan.FromSeconds(30));
        await output.Writer.CompleteAsync();
        var reader = new StreamReader(output.Reader.AsStream());
        Assert.Equal("first", JsonDocument.Parse((await reader.ReadLineAsync())!).RootElement.GetProperty("method").GetString());
        Assert.Equal("second", JsonDocument.Parse((await reader.ReadLineAsync())!).RootElement.GetProperty("method").GetString());
    }

    [Fact]
    public async Task Dispose_gives_up_on_a_peer_that_never_reads_after_the_drain_timeout()
    {
        // The gate never opens: the write can never finish. Dispose must still end (SHUT-STDIO), after DrainTimeout.
        var never = new TaskCompletionSource();
        var clock = new TestClock();
        var transport = new StreamTransport(_toServer.Reader.AsStream(), new GatedStream(new Pipe().Writer.AsStream(), never.Task), new StdioTransportOptions { DrainTimeout = TimeSpan.FromSeconds(5) }) { DrainClock = clock };
        var stuck = transport.SendAsync(new JsonRpcNotification("stuck", JsonPayload.None), default).AsTask();
        var disposing = transport.DisposeAsync().AsTask();
        await clock.WaitForTimersAsync();
        clock.Advance(TimeSpan.FromSeconds(5) - TimeSpan.FromTicks(1));
        Assert.False(disposing.IsCompleted, "gave up before DrainTimeout");
        clock.Advance(TimeSpan.FromTicks(1));
        await disposing.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(stuck.IsCompleted);
    }

    [Fact]
    public async Task Dispose_is_bounded_even_when_its_own_flush_blocks_the_thread_on_synchronous_output()
    {
        // stdout is synchronous: a flush to a peer that stopped reading blocks the calling thread. Here the answer to
        // the first of two pipelined lines is held back (read-ahead), so dispose itself is the one that flushes.
        using var never = new ManualResetEventSlim();
        try
        {
            var clock = new TestClock();
            var transport = new StreamTransport(_toServer.Reader.AsStream(), new BlockingWriteStream(never), new StdioTransportOptions { DrainTimeout = TimeSpan.FromSeconds(5) }) { DrainClock = clock };
            await WriteAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"a\"}\n{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"b\"}\n");
            var first = Assert.IsType<JsonRpcRequest>(await transport.ReceiveAsync(default).AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
            await transport.SendAsync(new JsonRpcResponse(first.Id, JsonPayload.FromRaw("{}"u8.ToArray())), default).AsTask().WaitAsync(TimeSpan.FromSeconds(30));

            // On a thread of the test's own, so that a regression hangs that thread, not the test run (and no timer is
            // ever created: the wait below fails).
            var disposing = Task.Run(async () => await transport.DisposeAsync());
            await clock.WaitForTimersAsync();
            clock.Advance(TimeSpan.FromSeconds(5));
            await disposing.WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            never.Set();
        }
    }

    private sealed class BlockingWriteStream(ManualResetEventSlim gate) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => gate.Wait();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            gate.Wait(CancellationToken.None);
            return ValueTask.CompletedTask;
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }

    [Fact]
    public void A_negative_drain_timeout_is_refused_when_the_transport_is_created()
    {
        var bad = new StdioTransportOptions { DrainTimeout = TimeSpan.FromMilliseconds(-2) };
        Assert.Throws<ArgumentOutOfRangeException>(() => new StreamTransport(new MemoryStream(), new MemoryStream(), bad));
        using var infinite = new MemoryStream();
        _ = new StreamTransport(infinite, infinite, new StdioTransportOptions { DrainTimeout = Timeout.InfiniteTimeSpan });
    }

    private sealed class GatedStream(Stream inner, Task gate) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await gate.WaitAsync(cancellationToken);
            await inner.WriteAsync(buffer, cancellationToken);
            await inner.FlushAsync(cancellationToken);
        }

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }

    [Fact]
    public async Task A_message_split_across_writes_is_reassembled()
    {
        var receive = ReceiveAsync();
        await WriteAsync("{\"jsonrpc\":\"2.0\",");
        await Task.Yield();
        await WriteAsync("\"id\":1,\"method\":\"ping\"}\n");
        Assert.Equal(new RequestId(1), Assert.IsType<JsonRpcRequest>(await receive).Id);
    }

    [Fact]
    public async Task A_malformed_line_is_answered_with_32700_and_reading_goes_on()
    {
        await WriteAsync("{oops\n{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}\n");
        Assert.Equal(new RequestId(2), Assert.IsType<JsonRpcRequest>(await ReceiveAsync()).Id);
        var error = await ReadLineAsync();
        Assert.Equal(McpErrorCodes.ParseError, error.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("id").ValueKind);
    }

    [Fact]
    public async Task A_lone_surrogate_or_invalid_utf8_is_a_parse_error_not_a_crash()
    {
        await _toServer.Writer.WriteAsync(Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"id\":\"\\ud800\",\"method\":\"ping\"}\n"));
        await _toServer.Writer.WriteAsync(new byte[] { (byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}', (byte)'\n' });
        await WriteAsync("{\"jsonrpc\":\"2.0\",\"method\":\"after\"}\n");
        Assert.Equal("after", Assert.IsType<JsonRpcNotification>(await ReceiveAsync()).Method);
        Assert.Equal(McpErrorCodes.ParseError, (await ReadLineAsync()).GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(McpErrorCodes.ParseError, (await ReadLineAsync()).GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task A_malformed_response_is_dropped_not_answered_and_an_error_with_id_null_is_accepted()
    {
        await WriteAsync("{\"jsonrpc\":\"2.0\",\"id\":3}\n{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":1,\"message\":\"x\"}}\n");
        var error = Assert.IsType<JsonRpcErrorResponse>(await ReceiveAsync());
        Assert.Null(error.Id);
        await _transport.SendAsync(new JsonRpcNotification("marker", JsonPayload.None), default);
        // The first thing written is our marker: nothing answered the malformed response.
        Assert.Equal("marker", (await ReadLineAsync()).GetProperty("method").GetString());
    }

    [Fact]
    public async Task When_output_fails_senders_fail_fast_instead_of_waiting_forever()
    {
        var transport = new StreamTransport(new MemoryStream(), new FailingStream(), new StdioTransportOptions { OutgoingQueueCapacity = 2 });
        await using (transport)
        {
            var sends = Task.Run(async () =>
            {
                for (int i = 0; i < 100; i++)
                {
                    await transport.SendAsync(new JsonRpcNotification("n", JsonPayload.None), default);
                }
            });
            // The sender that hit the broken pipe gets an IOException; every later one a ChannelClosedException.
            var error = await Assert.ThrowsAnyAsync<Exception>(() => sends.WaitAsync(TimeSpan.FromSeconds(30)));
            Assert.True(error is IOException or InvalidOperationException, error.ToString());
        }
    }

    private sealed class FailingStream : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => 0;
        public override long Position { get => 0; set { } }
        public override void Flush() => throw new IOException("broken pipe");
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new IOException("broken pipe");
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => throw new IOException("broken pipe");
    }

    [Fact]
    public async Task A_batch_is_refused_with_32600()
    {
        await WriteAsync("[{\"jsonrpc\":\"2.0\",\"method\":\"a\"}]\n{\"jsonrpc\":\"2.0\",\"method\":\"b\"}\n");
        Assert.Equal("b", Assert.IsType<JsonRpcNotification>(await ReceiveAsync()).Method);
        Assert.Equal(McpErrorCodes.InvalidRequest, (await ReadLineAsync()).GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task An_oversized_line_is_discarded_as_it_streams_and_answered_once()
    {
        var receive = ReceiveAsync();
        // 3 x 64 bytes with no newline: over the 64-byte limit before the line even ends.
        for (int i = 0; i < 3; i++)
        {
            await WriteAsync(new string('x', 64));
        }

        await WriteAsync("tail\n{\"jsonrpc\":\"2.0\",\"method\":\"after\"}\n");
        Assert.Equal("after", Assert.IsType<JsonRpcNotification>(await receive).Method);
        var error = await ReadLineAsync();
        Assert.Equal(McpErrorCodes.InvalidRequest, error.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Contains("64-byte limit", error.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task End_of_input_ends_receiving()
    {
        await WriteAsync("{\"jsonrpc\":\"2.0\",\"method\":\"last\"}");
        await _toServer.Writer.CompleteAsync();
        Assert.Equal("last", Assert.IsType<JsonRpcNotification>(await ReceiveAsync()).Method);
        Assert.Null(await ReceiveAsync());
    }

    [Fact]
    public async Task Sent_messages_are_one_utf8_line_each_without_bom_STDIO_UTF8()
    {
        await _transport.SendAsync(new JsonRpcNotification("n", JsonPayload.FromValue(new LoggingMessageNotificationParams { Level = LoggingLevel.Info, Data = JsonDocument.Parse("\"héllo\\nworld\"").RootElement }, McpJsonContext.Default.LoggingMessageNotificationParams)), default);
        await _transport.DisposeAsync();
        await _fromServer.Writer.CompleteAsync();
        var bytes = new MemoryStream();
        await _fromServer.Reader.AsStream().CopyToAsync(bytes);
        byte[] written = bytes.ToArray();
        Assert.False(written.AsSpan().StartsWith(new byte[] { 0xEF, 0xBB, 0xBF }));
        Assert.Equal(1, written.Count(b => b == (byte)'\n'));
        Assert.Equal((byte)'\n', written[^1]);
        using var parsed = JsonDocument.Parse(written);
        Assert.Equal("héllo\nworld", parsed.RootElement.GetProperty("params").GetProperty("data").GetString());
    }

    public async ValueTask DisposeAsync()
    {
        await _transport.DisposeAsync();
        _output.Dispose();
    }
}

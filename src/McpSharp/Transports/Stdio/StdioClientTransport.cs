using System.Diagnostics;
using McpSharp.JsonRpc;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpSharp.Transports.Stdio;

/// <summary>How to start an MCP server as a child process.</summary>
public sealed class StdioClientTransportOptions
{
    /// <summary>The program to run.</summary>
    public required string Command { get; set; }

    /// <summary>Its arguments.</summary>
    public IList<string> Arguments { get; } = [];

    /// <summary>Environment variables to set (a null value removes one).</summary>
    public IDictionary<string, string?> Environment { get; } = new Dictionary<string, string?>(StringComparer.Ordinal);

    /// <summary>The working directory (default: this process's).</summary>
    public string? WorkingDirectory { get; set; }

    /// <summary>On dispose, how long the server may take to exit after its stdin closes before it is killed (default 5 s).</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Line-size and queue limits.</summary>
    public StdioTransportOptions Limits { get; set; } = new();
}

/// <summary>
/// The client side of stdio (STDIO-LAUNCH): starts the server as a child process and speaks newline-delimited JSON over
/// its stdin and stdout. The server's stderr is surfaced as log lines, never as errors (STDIO-STDERR-CLIENT). When the
/// process dies, every pending call fails with an exception naming its exit code. Dispose closes stdin, waits, then
/// kills (SHUT-STDIO).
/// </summary>
/// <remarks>
/// The server's output is read by a blocking read on a thread of the connection's own (no socket-engine and thread-pool
/// hop per response). That read ends when the server's stdout closes: when the server, and every process that
/// inherited its stdout, has exited (dispose kills the server's process tree if it does not exit by itself). A helper
/// process that outlives a server which exited cleanly keeps that thread waiting until the helper exits; dispose does
/// not wait for it.
/// </remarks>
public sealed partial class StdioClientTransport : IMcpTransport, IBlockingTransport, IMessageLossTransport
{
    private readonly Process _process;
    private readonly StreamTransport _inner;
    private readonly StdioClientTransportOptions _options;
    private readonly ILogger _logger;
    private readonly Task _stderrPump;
    private int _disposed;

    /// <summary>Starts the server process.</summary>
    public StdioClientTransport(StdioClientTransportOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Limits.Validate(); // before the process starts: nothing is left running when the options are wrong
        _options = options;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("McpSharp.Client.Stdio");
        var start = new ProcessStartInfo(options.Command)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
            WorkingDirectory = options.WorkingDirectory ?? string.Empty,
        };
        foreach (string argument in options.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in options.Environment)
        {
            if (value is null)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start '{options.Command}'.");
        ProcessId = _process.Id;
        _inner = new StreamTransport(new SynchronousStream(_process.StandardOutput.BaseStream), _process.StandardInput.BaseStream, options.Limits);
        _stderrPump = Task.Run(PumpStderrAsync);
    }

    bool IBlockingTransport.ReadsBlock => true;

    /// <inheritdoc />
    Action<JsonRpcMessage, Exception>? IMessageLossTransport.MessageLost
    {
        get => ((IMessageLossTransport)_inner).MessageLost;
        set => ((IMessageLossTransport)_inner).MessageLost = value;
    }

    /// <summary>The server's process id.</summary>
    public int ProcessId { get; }

    /// <inheritdoc />
    public async ValueTask<JsonRpcMessage?> ReceiveAsync(CancellationToken cancellationToken)
    {
        var message = await _inner.ReceiveAsync(cancellationToken).ConfigureAwait(false);
        if (message is not null || Volatile.Read(ref _disposed) != 0)
        {
            return message;
        }

        // The server closed its stdout: most likely it is exiting. Say how, so pending calls fail with the reason.
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw new IOException("The server closed its output but is still running.");
        }

        throw new IOException($"The server process exited with code {_process.ExitCode}.");
    }

    /// <inheritdoc />
    public ValueTask SendAsync(JsonRpcMessage message, CancellationToken cancellationToken) => _inner.SendAsync(message, cancellationToken);

    /// <inheritdoc />
    public string? NetworkTransport => "pipe";

    /// <summary>Closes the server's stdin, waits up to the shutdown timeout for it to exit, then kills it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _inner.DisposeAsync().ConfigureAwait(false);
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
        }

        using (var wait = new CancellationTokenSource(_options.ShutdownTimeout))
        {
            try
            {
                await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                LogKilled(_logger, ProcessId);
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }

        await _stderrPump.ConfigureAwait(false);
        _process.Dispose();
    }

    private async Task PumpStderrAsync()
    {
        try
        {
            while (await _process.StandardError.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                LogStderr(_logger, ProcessId, line);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }

    [LoggerMessage(300, LogLevel.Information, "[server {ProcessId} stderr] {Line}")]
    private static partial void LogStderr(ILogger logger, int processId, string line);

    [LoggerMessage(301, LogLevel.Warning, "Server process {ProcessId} did not exit after its stdin closed; killed it.")]
    private static partial void LogKilled(ILogger logger, int processId);
}

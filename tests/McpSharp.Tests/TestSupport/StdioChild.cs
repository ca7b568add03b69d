using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace McpSharp.Tests.TestSupport;

/// <summary>
/// The sample server started as a real child process, spoken to with raw JSON lines over its stdin and stdout.
/// Every stdout line is recorded (and must be JSON: STDIO-STDOUT-ONLY-MCP); stderr is collected separately.
/// </summary>
public sealed class StdioChild : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly Channel<JsonElement> _lines = Channel.CreateUnbounded<JsonElement>();
    private readonly List<JsonElement> _pending = [];
    private readonly StringBuilder _stderr = new();
    private readonly Task _stdoutPump;
    private readonly Lock _writeGate = new();

    /// <summary>The sample over stdio, with <paramref name="arguments"/> after <c>--stdio</c>.</summary>
    public StdioChild(params string[] arguments)
        : this(new ProcessStartInfo(DotnetHost(), [SamplePath(), "--stdio", .. arguments]))
    {
    }

    /// <summary>Any stdio server: <paramref name="start"/> gets its standard streams redirected here.</summary>
    public StdioChild(ProcessStartInfo start)
    {
        ArgumentNullException.ThrowIfNull(start);
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        start.StandardOutputEncoding = new UTF8Encoding(false);
        _process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        _process.StandardInput.AutoFlush = true;
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (_stderr)
            {
                _stderr.AppendLine(e.Data);
            }
        };
        _process.BeginErrorReadLine();
        _stdoutPump = Task.Run(PumpStdoutAsync);
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public Process Process => _process;

    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "McpSharp.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Cannot find the repository root.");
    }

    public void WriteLine(string line)
    {
        lock (_writeGate)
        {
            _process.StandardInput.Write(line + "\n");
        }
    }

    public void CloseStdin() => _process.StandardInput.Close();

    /// <summary>Sends a request and waits for the response with its id (notifications seen meanwhile are kept).</summary>
    public async Task<JsonElement> RequestAsync(int id, string method, string paramsJson = "{}")
    {
        WriteLine($$"""{"jsonrpc":"2.0","id":{{id}},"method":"{{method}}","params":{{paramsJson}}}""");
        return await WaitForAsync(m => m.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.Number && i.GetInt32() == id && !m.TryGetProperty("method", out _));
    }

    public async Task<JsonElement> InitializeAsync(string capabilities = "{}")
    {
        var response = await RequestAsync(0, "initialize", $$$"""{"protocolVersion":"2025-11-25","capabilities":{{{capabilities}}},"clientInfo":{"name":"e2e","version":"1"}}""");
        WriteLine("""{"jsonrpc":"2.0","method":"notifications/initialized"}""");
        return response;
    }

    /// <summary>Waits for the first message (in arrival order, including ones already seen and not taken) that matches.</summary>
    public async Task<JsonElement> WaitForAsync(Func<JsonElement, bool> match)
    {
        lock (_pending)
        {
            int index = _pending.FindIndex(m => match(m));
            if (index >= 0)
            {
                var found = _pending[index];
                _pending.RemoveAt(index);
                return found;
            }
        }

        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            JsonElement message;
            try
            {
                message = await _lines.Reader.ReadAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException("No matching message from the sample. stderr:\n" + Stderr);
            }

            if (match(message))
            {
                return message;
            }

            lock (_pending)
            {
                _pending.Add(message);
            }
        }
    }

    public Task<JsonElement> WaitForNotificationAsync(string method) =>
        WaitForAsync(m => m.TryGetProperty("method", out var me) && me.GetString() == method && !m.TryGetProperty("id", out _));

    /// <summary>All messages received and not taken yet.</summary>
    public IReadOnlyList<JsonElement> Untaken()
    {
        var list = new List<JsonElement>();
        while (_lines.Reader.TryRead(out var m))
        {
            lock (_pending)
            {
                _pending.Add(m);
            }
        }

        lock (_pending)
        {
            list.AddRange(_pending);
        }

        return list;
    }

    public async Task<int> WaitForExitAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        await _process.WaitForExitAsync(timeout.Token);
        await _stdoutPump;
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                _process.StandardInput.Close();
            }
            catch (IOException)
            {
            }

            if (!_process.WaitForExit(10_000))
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        await _stdoutPump.WaitAsync(Patience);
        _process.Dispose();
    }

    private async Task PumpStdoutAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            JsonElement message;
            try
            {
                using var doc = JsonDocument.Parse(line);
                message = doc.RootElement.Clone();
            }
            catch (JsonException)
            {
                // STDIO-STDOUT-ONLY-MCP: a non-JSON line on stdout fails every waiting test.
                _lines.Writer.TryComplete(new InvalidDataException("The server wrote a line to stdout that is not JSON: " + line));
                return;
            }

            await _lines.Writer.WriteAsync(message);
        }

        _lines.Writer.TryComplete();
    }

    public static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    public static string SamplePath()
    {
        string configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        string path = Path.Combine(RepositoryRoot(), "samples", "EverythingServer", "bin", configuration, "net10.0", "EverythingServer.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build the sample first (the test project references it).", path);
    }
}

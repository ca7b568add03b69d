using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace McpSharp.Redis.Tests;

/// <summary>
/// A real redis-server on a free loopback port, persistence off, for the tests of one class (an xunit class fixture).
/// It can be stopped and started again on the same port, to test what the nodes do while Redis is gone.
/// </summary>
public sealed class RedisServer : IDisposable
{
    private Process? _process;

    public RedisServer()
    {
        Port = FreePort();
        Start();
    }

    public int Port { get; }

    public string Configuration => $"127.0.0.1:{Port}";

    public void Start()
    {
        var start = new ProcessStartInfo(Executable(), ["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", string.Empty, "--appendonly", "no"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start redis-server.");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        throw new InvalidOperationException("redis-server did not start: " + _process.StandardError.ReadToEnd());
    }

    public void Stop()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }

        _process?.Dispose();
        _process = null;
    }

    public void Dispose() => Stop();

    private static string Executable() =>
        File.Exists("/usr/bin/redis-server") ? "/usr/bin/redis-server"
        : throw new InvalidOperationException("redis-server is not installed (apt-get install redis-server; .ci/run installs it).");

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

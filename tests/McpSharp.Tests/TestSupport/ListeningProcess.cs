using System.Diagnostics;

namespace McpSharp.Tests.TestSupport;

/// <summary>
/// An ASP.NET Core server started as a process on a free loopback port (<c>--urls http://127.0.0.1:0</c>), found by the
/// host's lifetime log line that names its address.
/// </summary>
public static class ListeningProcess
{
    /// <summary>Starts <paramref name="start"/> (its output is redirected here) and returns it with its first address.</summary>
    public static async Task<(Process Process, Uri Address)> StartAsync(ProcessStartInfo start)
    {
        ArgumentNullException.ThrowIfNull(start);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        var error = process.StandardError.ReadToEndAsync();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            int at = line.IndexOf("Now listening on: ", StringComparison.Ordinal);
            if (at >= 0)
            {
                _ = process.StandardOutput.ReadToEndAsync();
                return (process, new Uri(line[(at + "Now listening on: ".Length)..].Trim()));
            }
        }

        await process.WaitForExitAsync();
        throw new InvalidOperationException($"{start.FileName} ended ({process.ExitCode}) before it listened:\n{await error}");
    }

    /// <summary>Kills the process and waits for it.</summary>
    public static async Task StopAsync(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
    }
}

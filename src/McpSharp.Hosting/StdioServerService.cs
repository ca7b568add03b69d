using McpSharp.Server;
using McpSharp.Transports.Stdio;
using Microsoft.Extensions.Hosting;

namespace McpSharp.Hosting;

/// <summary>Runs the server on the process's stdin/stdout for the host's lifetime, and stops the host when stdin ends.</summary>
internal sealed class StdioServerService(McpServer server, IHostApplicationLifetime lifetime) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await server.RunStdioAsync(cancellationToken: stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            // The client hung up (or the host is stopping already): there is nothing left to serve.
            lifetime.StopApplication();
        }
    }
}

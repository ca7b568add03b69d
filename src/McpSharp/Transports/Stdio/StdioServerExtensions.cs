using McpSharp.Server;

namespace McpSharp.Transports.Stdio;

/// <summary>Serving an <see cref="McpServer"/> over this process's standard input and output.</summary>
public static class StdioServerExtensions
{
    /// <summary>
    /// Serves one client over stdin/stdout until stdin closes (STDIO-*). Nothing but MCP messages is written to stdout:
    /// send all logging to stderr.
    /// </summary>
    public static async Task RunStdioAsync(this McpServer server, StdioTransportOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(server);
        var transport = StreamTransport.CreateStdio(options);
        await using (transport.ConfigureAwait(false))
        {
            await server.RunAsync(transport, cancellationToken).ConfigureAwait(false);
        }
    }
}

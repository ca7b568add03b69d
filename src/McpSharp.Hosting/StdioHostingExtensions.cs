using McpSharp.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Serves the MCP server over stdio in a generic host.</summary>
public static class StdioHostingExtensions
{
    /// <summary>
    /// Serves the server over stdin/stdout while the host runs; when the client closes stdin the host stops. Console
    /// logging moves to stderr, because stdout carries only MCP messages.
    /// </summary>
    public static IMcpServerBuilder WithStdioTransport(this IMcpServerBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHostedService<StdioServerService>();
        builder.Services.Configure<ConsoleLoggerOptions>(static options => options.LogToStandardErrorThreshold = LogLevel.Trace);
        return builder;
    }
}

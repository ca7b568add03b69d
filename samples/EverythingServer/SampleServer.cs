using McpSharp.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EverythingServer;

/// <summary>What the sample serves, whatever the transport.</summary>
internal static class SampleServer
{
    /// <summary>The server's identity and limits; <c>Mcp:*</c> configuration (appsettings, environment) may override them.</summary>
    public static IMcpServerBuilder AddSampleServer(this IServiceCollection services, SampleSettings settings) =>
        services.AddMcpServer(options =>
            {
                options.ServerInfo = new Implementation { Name = "mcpsharp-everything", Title = "McpSharp Everything Server", Version = "1.0.0" };
                options.Instructions = "A demonstration server: tools, resources, templates, prompts, completions, logging, progress, sampling and elicitation.";
                options.PageSize = settings.PageSize;
            })
            .BindConfiguration("Mcp")
            .WithTools(typeof(SampleTools))
            .WithTools<ClockTools>()
            .WithResources(typeof(SampleResources))
            .WithPrompts(typeof(SamplePrompts))
            .WithServer(SampleResources.Register);
}

/// <summary>The sample's own command-line switches; everything else goes to ASP.NET Core (e.g. <c>--urls</c>).</summary>
internal sealed record SampleSettings(bool Stdio, int PageSize, bool Stateless, bool JsonResponse, string? Redis, bool Otel, string[] AspNetCoreArgs)
{
    public static SampleSettings? Parse(string[] args)
    {
        bool stdio = false, stateless = false, json = false, otel = false;
        int pageSize = 10;
        string? redis = null;
        var rest = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--stdio":
                    stdio = true;
                    break;
                case "--stateless":
                    stateless = true;
                    break;
                case "--json-response":
                    json = true;
                    break;
                case "--otel":
                    otel = true;
                    break;
                case "--page-size" when i + 1 < args.Length && int.TryParse(args[i + 1], out int size) && size > 0:
                    pageSize = size;
                    i++;
                    break;
                case "--page-size":
                    return null;
                case "--redis" when i + 1 < args.Length:
                    redis = args[++i];
                    break;
                case "--redis":
                    return null;
                default:
                    rest.Add(args[i]);
                    break;
            }
        }

        // The console exporter writes to stdout, which stdio reserves for MCP.
        return otel && stdio ? null : new SampleSettings(stdio, pageSize, stateless, json, redis, otel, [.. rest]);
    }
}

/// <summary>The sample's log messages.</summary>
internal static partial class SampleLog
{
    [LoggerMessage(1, LogLevel.Information, "Serving MCP over Streamable HTTP at {Endpoints}")]
    public static partial void ServingHttp(ILogger logger, string endpoints);

    [LoggerMessage(2, LogLevel.Information, "Serving MCP over stdio")]
    public static partial void ServingStdio(ILogger logger);
}

using Microsoft.Extensions.DependencyInjection;

namespace McpSharp.AspNetCore;

/// <summary>Configures the MCP server registered by <see cref="McpServiceCollectionExtensions.AddMcpServer"/>.</summary>
public interface IMcpServerBuilder
{
    /// <summary>The service collection.</summary>
    IServiceCollection Services { get; }
}

internal sealed class McpServerBuilder(IServiceCollection services) : IMcpServerBuilder
{
    public IServiceCollection Services { get; } = services;
}

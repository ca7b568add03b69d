namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Configures the MCP server registered by <see cref="McpServerServiceCollectionExtensions.AddMcpServer"/>: what it
/// offers (<c>WithTools</c>, <c>WithResources</c>, <c>WithPrompts</c>) and how it is reached (<c>WithStdioTransport</c>,
/// or <c>WithHttpTransport</c> from McpSharp.AspNetCore).
/// </summary>
public interface IMcpServerBuilder
{
    /// <summary>The service collection.</summary>
    IServiceCollection Services { get; }
}

using McpSharp.Server;
using Microsoft.Extensions.DependencyInjection;

namespace McpSharp.AspNetCore.Tests;

/// <summary><see cref="ClusterTaskTests"/> with one <see cref="InMemoryTaskStore"/> shared by both nodes.</summary>
public sealed class InMemoryClusterTaskTests : ClusterTaskTests
{
    private readonly InMemoryTaskStore _store = new();

    protected override void UseBackend(IMcpServerBuilder builder) =>
        builder.Services.AddOptions<McpServerOptions>().Configure(options => options.Tasks.Store = _store);
}

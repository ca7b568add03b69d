using System.Text;
using McpSharp.AspNetCore.Tests.TestSupport;
using McpSharp.Client;
using McpSharp.Hosting;
using McpSharp.Protocol;
using McpSharp.Server;
using McpSharp.Tests.Shared;
using McpSharp.Transports.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using static McpSharp.AspNetCore.Tests.TestSupport.TestServer;

namespace McpSharp.AspNetCore.Tests;

/// <summary>requestState sealed with ASP.NET Core Data Protection (M26-MRTR-STATE-SECURITY): any node of one key ring opens it.</summary>
public sealed class DataProtectedRequestStateTests : IDisposable
{
    private readonly DirectoryInfo _ring = Directory.CreateTempSubdirectory("mcpsharp-keys-");
    private readonly DirectoryInfo _otherRing = Directory.CreateTempSubdirectory("mcpsharp-keys-");

    public void Dispose()
    {
        _ring.Delete(recursive: true);
        _otherRing.Delete(recursive: true);
    }

    [Fact]
    public void State_sealed_on_one_node_opens_on_another_of_the_same_key_ring_and_nowhere_else()
    {
        var first = new DataProtectionRequestStateProtector(DataProtectionProvider.Create(_ring));
        var second = new DataProtectionRequestStateProtector(DataProtectionProvider.Create(_ring));
        var stranger = new DataProtectionRequestStateProtector(DataProtectionProvider.Create(_otherRing));
        string sealedState = first.Protect("state"u8);

        Assert.True(second.TryUnprotect(sealedState, out byte[]? opened));
        Assert.Equal("state", Encoding.UTF8.GetString(opened));
        Assert.False(stranger.TryUnprotect(sealedState, out _));
        Assert.False(second.TryUnprotect(sealedState[..^2] + (sealedState[^2] == 'A' ? "B" : "A") + sealedState[^1], out _));
        Assert.False(second.TryUnprotect("not base64url!", out _));
    }

    [Fact]
    public async Task A_server_with_data_protected_state_completes_input_rounds_over_http()
    {
        var builder = LoopbackHost.CreateBuilder("http://127.0.0.1:0");
        builder.Services.AddDataProtection().PersistKeysToFileSystem(_ring);
        builder.Services.AddMcpServer(o => o.ServerInfo = new Implementation { Name = "dp", Version = "1" })
            .WithHttpTransport()
            .WithDataProtectedRequestState()
            .WithServer(server => server.Tools.Add(new Tool { Name = "ask", InputSchema = Json("""{"type":"object"}""") }, static async ctx =>
            {
                var answer = await ctx.ElicitAsync(new ElicitRequestParams { Message = "Name?", RequestedSchema = Json("""{"type":"object","properties":{"name":{"type":"string"}}}""") });
                return CallToolResult.FromText("hello " + answer.Content!["name"].GetString());
            }));
        await using var app = builder.Build();
        app.MapMcp("/mcp");
        var endpoint = await LoopbackHost.StartAsync(app);
        Assert.IsType<DataProtectionRequestStateProtector>(app.Services.GetRequiredService<McpServer>().Options.RequestState.Protector);

        await using var client = await McpClient.ConnectAsync(
            new StreamableHttpClientTransport(new HttpClientTransportOptions { Endpoint = endpoint }),
            new McpClientOptions { ElicitationHandler = static (_, _) => ValueTask.FromResult(new ElicitResult { Action = "accept", Content = new() { ["name"] = Json("\"Ada\"") } }) });
        Assert.True(client.IsPerRequest);
        Assert.Equal("hello Ada", ((TextContentBlock)(await client.CallToolAsync("ask")).Content[0]).Text);
    }
}

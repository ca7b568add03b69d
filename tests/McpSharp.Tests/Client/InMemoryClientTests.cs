using System.Text.Json;
using McpSharp.Client;
using McpSharp.Protocol;
using McpSharp.Server;
using McpSharp.Transports.InMemory;

namespace McpSharp.Tests.Client;

/// <summary>McpClient against McpServer over the in-memory transport: roots, and the client-side capability gates.</summary>
public sealed class InMemoryClientTests : IAsyncDisposable
{
    private readonly McpServer _server = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _serverRun = Task.CompletedTask;
    private McpSession? _session;

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private async Task<McpClient> ConnectAsync(McpClientOptions options)
    {
        var (client, server) = InMemoryTransport.CreatePair();
        _session = _server.CreateSession(server);
        _serverRun = _session.RunAsync(_stop.Token);
        return await McpClient.ConnectAsync(client, options);
    }

    [Fact]
    public async Task Roots_are_listed_for_the_server_and_changes_are_announced_ROOTS_LISTCHANGED()
    {
        _server.Tools.Add(new Tool { Name = "roots", InputSchema = Json("""{"type":"object"}""") }, static async ctx =>
            CallToolResult.FromText(string.Join(",", (await ctx.ListRootsAsync()).Roots.Select(r => r.Uri))));
        await using var client = await ConnectAsync(new McpClientOptions { Roots = [new Root { Uri = "file:///a" }], ProtocolMode = ProtocolMode.Legacy });
        Assert.True(client.Capabilities.Roots!.ListChanged);
        Assert.Equal("file:///a", ((TextContentBlock)(await client.CallToolAsync("roots")).Content[0]).Text);

        var changed = new TaskCompletionSource();
        _session!.RootsListChanged += (_, _) => changed.TrySetResult();
        await client.SetRootsAsync([new Root { Uri = "file:///a" }, new Root { Uri = "file:///b" }]);
        await changed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("file:///a,file:///b", ((TextContentBlock)(await client.CallToolAsync("roots")).Content[0]).Text);
    }

    [Fact]
    public async Task In_2026_roots_are_an_input_round_and_new_roots_reach_the_next_one_without_a_notification()
    {
        _server.Tools.Add(new Tool { Name = "roots", InputSchema = Json("""{"type":"object"}""") }, static async ctx =>
            CallToolResult.FromText(string.Join(",", (await ctx.ListRootsAsync()).Roots.Select(r => r.Uri))));
        await using var client = await ConnectAsync(new McpClientOptions { Roots = [new Root { Uri = "file:///a" }] });
        Assert.True(client.IsPerRequest);
        Assert.Equal("file:///a", ((TextContentBlock)(await client.CallToolAsync("roots")).Content[0]).Text);

        await client.SetRootsAsync([new Root { Uri = "file:///a" }, new Root { Uri = "file:///b" }]);
        Assert.Equal("file:///a,file:///b", ((TextContentBlock)(await client.CallToolAsync("roots")).Content[0]).Text);
    }

    [Fact]
    public async Task A_url_elicitation_to_a_form_only_client_is_refused_with_32602_ELIC_MODE_UNDECLARED_ERR()
    {
        _server.Options.Capabilities = new ServerCapabilities { Tools = new ListChangedCapability() };
        await using var client = await ConnectAsync(new McpClientOptions { ElicitationHandler = static (_, _) => ValueTask.FromResult(new ElicitResult { Action = "accept" }), ProtocolMode = ProtocolMode.Legacy });
        Assert.True(client.Capabilities.Elicitation!.SupportsForm);
        Assert.False(client.Capabilities.Elicitation.SupportsUrl);

        // The server side refuses to send it (ELIC-MODE-GATE)...
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => _session!.ElicitAsync(_session.Client!, new ElicitRequestParams { Mode = "url", Message = "m", Url = "https://x", ElicitationId = "e" }, null, null, default).AsTask());
        Assert.Contains("url", error.Message, StringComparison.Ordinal);

        // ...and the client refuses it if it arrives anyway.
        var raw = await Assert.ThrowsAsync<McpProtocolException>(() => _session!.Connection.SendRequestAsync("elicitation/create", McpSharp.JsonRpc.JsonPayload.FromRaw("""{"mode":"url","message":"m","url":"https://x","elicitationId":"e"}"""u8.ToArray()), null, null, default).AsTask());
        Assert.Equal(McpErrorCodes.InvalidParams, raw.ErrorCode);
    }

    [Fact]
    public async Task Tools_in_sampling_without_sampling_tools_are_refused_with_32602_SAMP_TOOLS_CLIENT_ERR()
    {
        await using var client = await ConnectAsync(new McpClientOptions
        {
            SamplingHandler = static (_, _) => ValueTask.FromResult(new CreateMessageResult { Role = Role.Assistant, Model = "m", Content = [new TextContentBlock("x")] }),
        });
        Assert.Null(client.Capabilities.Sampling!.Tools);
        var error = await Assert.ThrowsAsync<McpProtocolException>(() => _session!.Connection.SendRequestAsync("sampling/createMessage", McpSharp.JsonRpc.JsonPayload.FromRaw("""{"messages":[],"maxTokens":5,"tools":[{"name":"t","inputSchema":{"type":"object"}}]}"""u8.ToArray()), null, null, default).AsTask());
        Assert.Equal(McpErrorCodes.InvalidParams, error.ErrorCode);
    }

    [Fact]
    public async Task A_client_without_roots_answers_roots_list_with_32601_ROOTS_UNSUPPORTED()
    {
        await using var client = await ConnectAsync(new McpClientOptions());
        var error = await Assert.ThrowsAsync<McpProtocolException>(() => _session!.Connection.SendRequestAsync("roots/list", McpSharp.JsonRpc.JsonPayload.None, null, null, default).AsTask());
        Assert.Equal(McpErrorCodes.MethodNotFound, error.ErrorCode);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _serverRun.WaitAsync(TimeSpan.FromSeconds(30));
        _stop.Dispose();
    }
}

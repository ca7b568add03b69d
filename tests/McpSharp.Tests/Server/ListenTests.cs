using System.Text.Json;
using McpSharp.JsonRpc;
using McpSharp.Protocol;
using McpSharp.Server;
using McpSharp.Tests.TestSupport;
using static McpSharp.Tests.Server.PerRequestServerTests;

namespace McpSharp.Tests.Server;

/// <summary><c>subscriptions/listen</c> in the server core (M26-SUB-*), over an in-memory (stdio-shaped) connection.</summary>
public sealed class ListenTests
{
    private static McpServer CreateServer()
    {
        var server = new McpServer();
        server.Tools.Add(new Tool { Name = "echo", InputSchema = TestPeer.Json("""{"type":"object"}""") }, static _ => ValueTask.FromResult(CallToolResult.FromText("e")));
        server.Resources.Add(new Resource { Uri = "file:///project", Name = "project" }, static _ => ValueTask.FromResult(new ReadResourceResult()));
        return server;
    }

    private static string Listen(string filter) => Params("\"notifications\":" + filter);

    private static JsonElement ParamsOf(JsonRpcNotification notification) => notification.Params.Deserialize(McpJsonContext.Default.JsonElement);

    private static JsonElement SubscriptionIdOf(JsonRpcNotification notification) =>
        ParamsOf(notification).GetProperty("_meta").GetProperty("io.modelcontextprotocol/subscriptionId");

    [Fact]
    public async Task The_first_message_is_the_acknowledgement_with_the_honoured_filter_then_tagged_changes_M26_SUB_ACK_FIRST_M26_SUB_ID_TAG()
    {
        var server = CreateServer();
        await using var peer = new TestPeer(server);
        using var stop = new CancellationTokenSource();
        var listen = peer.RequestAsync("subscriptions/listen", Listen("""{"toolsListChanged":true,"promptsListChanged":true,"resourceSubscriptions":["file:///project"]}"""), stop.Token);

        var ack = await peer.Notifications.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("notifications/subscriptions/acknowledged", ack.Method);

        // No prompts on this server: promptsListChanged is left out of what is honoured.
        Assert.Equal("""{"toolsListChanged":true,"resourceSubscriptions":["file:///project"]}""", ParamsOf(ack).GetProperty("notifications").GetRawText());
        var id = SubscriptionIdOf(ack);

        server.Tools.Add(new Tool { Name = "later", InputSchema = TestPeer.Json("""{"type":"object"}""") }, static _ => ValueTask.FromResult(CallToolResult.FromText("l")));
        var changed = await peer.NextNotificationAsync("notifications/tools/list_changed");
        Assert.Equal(id.GetRawText(), SubscriptionIdOf(changed).GetRawText());

        await server.NotifyResourceUpdatedAsync("file:///elsewhere");
        await server.NotifyResourceUpdatedAsync("file:///project/src/a.cs");
        var updated = await peer.NextNotificationAsync("notifications/resources/updated");
        Assert.Equal("file:///project/src/a.cs", ParamsOf(updated).GetProperty("uri").GetString());
        Assert.Equal(id.GetRawText(), SubscriptionIdOf(updated).GetRawText());

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => listen);
    }

    [Fact]
    public async Task Only_requested_types_are_sent_M26_SUB_OPT_IN()
    {
        var server = CreateServer();
        server.Prompts.Add(new Prompt { Name = "p" }, static _ => ValueTask.FromResult(new GetPromptResult()));
        await using var peer = new TestPeer(server);
        using var stop = new CancellationTokenSource();
        var listen = peer.RequestAsync("subscriptions/listen", Listen("""{"promptsListChanged":true}"""), stop.Token);
        Assert.Equal("notifications/subscriptions/acknowledged", (await peer.Notifications.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30))).Method);

        server.NotifyToolsListChanged();
        server.NotifyPromptsListChanged();
        Assert.Equal("notifications/prompts/list_changed", (await peer.Notifications.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30))).Method);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => listen);
        Assert.False(peer.Notifications.Reader.TryRead(out _));
    }

    [Fact]
    public async Task A_client_cancel_ends_the_subscription_without_a_response_and_the_server_forgets_it()
    {
        var server = CreateServer();
        await using var peer = new TestPeer(server);
        using var stop = new CancellationTokenSource();
        var listen = peer.RequestAsync("subscriptions/listen", Listen("""{"toolsListChanged":true}"""), stop.Token);
        await peer.NextNotificationAsync("notifications/subscriptions/acknowledged");
        Assert.Equal(1, server.Subscriptions.Count);

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => listen);
        await Eventually.WaitUntilAsync(() => server.Subscriptions.Count == 0, "the subscription to end");
    }

    [Fact]
    public async Task A_server_teardown_answers_the_listen_request_with_its_tagged_closing_result_M26_SUB_CLOSE()
    {
        var server = CreateServer();
        await using var peer = new TestPeer(server);
        var listen = peer.RequestAsync("subscriptions/listen", Listen("""{"toolsListChanged":true}"""));
        var ack = await peer.NextNotificationAsync("notifications/subscriptions/acknowledged");

        server.CloseSubscriptions();
        var closing = await listen.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("complete", closing.GetProperty("resultType").GetString());
        Assert.Equal(SubscriptionIdOf(ack).GetRawText(), closing.GetProperty("_meta").GetProperty("io.modelcontextprotocol/subscriptionId").GetRawText());
        Assert.Equal("mcpsharp-server", closing.GetProperty("_meta").GetProperty("io.modelcontextprotocol/serverInfo").GetProperty("name").GetString());
    }
}

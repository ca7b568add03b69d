using McpSharp.JsonRpc;

namespace McpSharp.Tests.TestSupport;

/// <summary>A JSON-RPC handler whose request behaviour each test sets; it records notifications.</summary>
internal sealed class DelegateHandler : IJsonRpcHandler
{
    public Func<JsonRpcRequest, CancellationToken, ValueTask<JsonPayload>> OnRequest { get; set; } = (r, ct) => ValueTask.FromResult(JsonPayload.None);

    public System.Collections.Concurrent.ConcurrentQueue<string> Notifications { get; } = new();

    public bool MustHandleInOrder(JsonRpcRequest request) => false;

    public ValueTask<JsonPayload> HandleRequestAsync(JsonRpcRequest request, CancellationToken cancellationToken) => OnRequest(request, cancellationToken);

    public ValueTask HandleNotificationAsync(JsonRpcNotification notification, CancellationToken cancellationToken)
    {
        Notifications.Enqueue(notification.Method);
        return ValueTask.CompletedTask;
    }
}

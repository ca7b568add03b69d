using McpSharp.JsonRpc;
using McpSharp.Protocol;

namespace McpSharp.AspNetCore.Streams;

/// <summary>
/// Collects the responses of one POST that is answered with <c>application/json</c> (JSON response mode, and every
/// <c>initialize</c>). Other messages sent on behalf of those requests (progress, logs, server-to-client requests) have
/// no stream on this POST, so they go where unrelated messages go: the standalone GET stream, if open.
/// </summary>
internal sealed class JsonResponseSink(int expected, Func<JsonRpcMessage, CancellationToken, ValueTask> elsewhere) : MessageRoute
{
    private readonly List<JsonRpcMessage> _responses = new(expected);
    private int _ended;
    private readonly TaskCompletionSource<IReadOnlyList<JsonRpcMessage>> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the responses once all have been produced.</summary>
    public Task<IReadOnlyList<JsonRpcMessage>> Responses => _done.Task;

    public override ValueTask SendAsync(JsonRpcMessage message, CancellationToken cancellationToken)
    {
        if (message is not (JsonRpcResponse or JsonRpcErrorResponse))
        {
            return elsewhere(message, cancellationToken);
        }

        lock (_responses)
        {
            _responses.Add(message);
            CompleteIfDone();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>A request was cancelled or cut off: it will get no response (the list may end up shorter, or empty).</summary>
    public override void OnRequestEndedWithoutResponse(RequestId id)
    {
        lock (_responses)
        {
            _ended++;
            CompleteIfDone();
        }
    }

    private void CompleteIfDone()
    {
        if (_responses.Count + _ended == expected)
        {
            _done.TrySetResult(_responses);
        }
    }
}

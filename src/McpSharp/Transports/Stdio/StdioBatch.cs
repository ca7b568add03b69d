using McpSharp.JsonRpc;
using McpSharp.Protocol;

namespace McpSharp.Transports.Stdio;

/// <summary>
/// The requests of one JSON-RPC batch read from stdio (BASE-BATCH, 2025-03-26 sessions): their responses are collected
/// and written as one array line once every request has answered (or ended without an answer). Messages sent on the
/// requests' behalf (progress, logs) are not part of the array: they go out at once.
/// </summary>
internal sealed class StdioBatch(StreamTransport transport, int requests, List<JsonRpcMessage> answered) : MessageRoute
{
    private int _outstanding = requests;

    public override ValueTask SendAsync(JsonRpcMessage message, CancellationToken cancellationToken)
    {
        if (message is not (JsonRpcResponse or JsonRpcErrorResponse))
        {
            return transport.WriteAsync(message, cancellationToken);
        }

        lock (answered)
        {
            answered.Add(message);
            if (--_outstanding > 0)
            {
                return ValueTask.CompletedTask;
            }
        }

        return transport.WriteAsync(new JsonRpcBatch(answered), cancellationToken);
    }

    public override void OnRequestEndedWithoutResponse(RequestId id)
    {
        lock (answered)
        {
            if (--_outstanding > 0 || answered.Count == 0)
            {
                return;
            }
        }

        // Cancelled requests get no entry; the others' answers still leave.
        _ = transport.WriteAsync(new JsonRpcBatch(answered), CancellationToken.None).AsTask();
    }
}

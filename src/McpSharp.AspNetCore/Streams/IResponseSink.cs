using McpSharp.JsonRpc;

namespace McpSharp.AspNetCore.Streams;

/// <summary>Where messages routed to one POST go: its SSE stream, or the collector of a JSON response.</summary>
internal interface IResponseSink
{
    /// <summary>Takes one message for this request's client.</summary>
    ValueTask WriteAsync(JsonRpcMessage message, CancellationToken cancellationToken);
}

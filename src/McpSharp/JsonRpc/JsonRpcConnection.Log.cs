using Microsoft.Extensions.Logging;

namespace McpSharp.JsonRpc;

internal sealed partial class JsonRpcConnection
{
    [LoggerMessage(1, LogLevel.Error, "Handler for '{Method}' failed; answered -32603.")]
    private static partial void LogHandlerFailed(ILogger logger, string method, Exception exception);

    [LoggerMessage(2, LogLevel.Warning, "Handler for notification '{Method}' failed.")]
    private static partial void LogNotificationFailed(ILogger logger, string method, Exception exception);

    [LoggerMessage(3, LogLevel.Debug, "Peer cancelled '{Method}' (id {Id}): {Reason}")]
    private static partial void LogCancelled(ILogger logger, string method, string id, string? reason);

    [LoggerMessage(4, LogLevel.Debug, "Dropped a response for id {Id}: no request is waiting for it.")]
    private static partial void LogLateResponse(ILogger logger, string id);

    [LoggerMessage(5, LogLevel.Warning, "Peer sent an error with no id: {Code} {Message}")]
    private static partial void LogUncorrelatedError(ILogger logger, int code, string message);

    [LoggerMessage(6, LogLevel.Debug, "Could not send a message: {Reason}")]
    private static partial void LogSendFailed(ILogger logger, string reason);

    [LoggerMessage(7, LogLevel.Warning, "Rejected '{Method}': too many requests in flight.")]
    private static partial void LogTooManyRequests(ILogger logger, string method);

    [LoggerMessage(8, LogLevel.Warning, "Shutdown timed out with {Count} request(s) still running; cancelling them.")]
    private static partial void LogShutdownTimedOut(ILogger logger, int count);

    [LoggerMessage(9, LogLevel.Debug, "A request handler held the read loop for over {Milliseconds} ms; reading continues on another thread.")]
    private static partial void LogReadingHandedOver(ILogger logger, double milliseconds);

    [LoggerMessage(10, LogLevel.Error, "Could not serialize '{Method}'; it was not sent.")]
    private static partial void LogUnsendable(ILogger logger, string method, Exception exception);
}

using McpSharp.Client;
using McpSharp.JsonRpc;
using McpSharp.Protocol;

namespace McpSharp.Transports.Http;

/// <summary>
/// HTTP-SESS-REINIT: the server forgot the session (404 to a request that carried its id). One re-initialize at a time,
/// shared by every request that met the same 404; the shared session id changes only once the new session exists.
/// </summary>
public sealed partial class StreamableHttpClientTransport
{
    private static readonly TimeSpan ReinitializeTimeout = TimeSpan.FromSeconds(60);

    private async Task ReinitializeAsync(string failedSessionId, CancellationToken callerToken)
    {
        // Bounded, and ended by dispose: a server that never answers cannot hold the gate (and every 404 behind it).
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(callerToken, _stop.Token);
        bounded.CancelAfter(ReinitializeTimeout);
        var cancellationToken = bounded.Token;
        await _reinitGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!string.Equals(_sessionId, failedSessionId, StringComparison.Ordinal))
            {
                // A concurrent request already re-established the session.
                return;
            }

            var parameters = _initializeParams ?? throw new McpHttpException(404, "The server forgot the session, and there is no initialize to replay.");
            StopStandalone();

            // The shared session id stays until the new one exists: a concurrent request meanwhile still carries the
            // old id, meets 404, and waits here for the new session; none is ever sent without an id.
            var id = new RequestId($"mcpsharp-reinitialize-{Interlocked.Increment(ref _reinitCount)}");
            var (reply, newSessionId) = await ExchangeAsync(new JsonRpcRequest(id, McpMethods.Initialize, JsonPayload.FromRaw(parameters)), cancellationToken).ConfigureAwait(false);
            var result = reply.Result.Deserialize(McpJsonContext.Default.InitializeResult)
                ?? throw new McpHttpException(0, "The re-initialize answer has no result.");
            // The new session is published only once it is initialized: no request reaches it half-way.
            using (var initialized = await PostAsync(JsonRpcMessageWriter.ToUtf8Bytes(new JsonRpcNotification(McpMethods.NotificationsInitialized, JsonPayload.None)), newSessionId, result.ProtocolVersion, cancellationToken).ConfigureAwait(false))
            {
                if (!initialized.IsSuccessStatusCode)
                {
                    throw new McpHttpException((int)initialized.StatusCode, $"notifications/initialized on the new session failed with {(int)initialized.StatusCode}.");
                }
            }

            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            _protocolVersion = result.ProtocolVersion;
            _sessionId = newSessionId;

            LogReestablished(_logger, failedSessionId, _sessionId);
            StartStandalone();
            SessionReestablished?.Invoke(this, new SessionReestablishedEventArgs(failedSessionId, _sessionId, result));
        }
        finally
        {
            _reinitGate.Release();
        }
    }

    // POSTs a request the transport sends itself (the re-initialize) and returns its response; anything else that comes
    // with it is delivered as usual.
    private async Task<(JsonRpcResponse Response, string? SessionId)> ExchangeAsync(JsonRpcRequest request, CancellationToken cancellationToken)
    {
        using var response = await PostAsync(JsonRpcMessageWriter.ToUtf8Bytes(request), sessionId: null, version: null, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            // A 404 here too: no second attempt, no loop.
            throw new McpHttpException((int)response.StatusCode, $"Re-initializing the session failed with {(int)response.StatusCode}: {await ReadErrorAsync(response, cancellationToken).ConfigureAwait(false)}");
        }

        string? sessionId = response.Headers.TryGetValues("MCP-Session-Id", out var ids) ? ids.FirstOrDefault() : null;
        await foreach (var message in ReadMessagesAsync(response, cancellationToken).ConfigureAwait(false))
        {
            switch (message)
            {
                case JsonRpcResponse answer when answer.Id == request.Id:
                    return (answer, sessionId);
                case JsonRpcErrorResponse error when error.Id == request.Id:
                    throw new McpHttpException((int)response.StatusCode, $"Re-initializing the session failed: {error.Error.Message}");
                default:
                    await DeliverAsync(message, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }

        throw new McpHttpException((int)response.StatusCode, "The server did not answer the re-initialize.");
    }
}

using System.Buffers;
using McpSharp.AspNetCore.Sessions;
using McpSharp.AspNetCore.Streams;
using McpSharp.JsonRpc;
using McpSharp.Protocol;
using McpSharp.Server;
using Microsoft.AspNetCore.Http;

namespace McpSharp.AspNetCore.Http;

/// <summary>
/// Step 9 for POST: notifications and responses are accepted with 202; requests are answered on an SSE stream of their
/// own (or with JSON in JSON response mode) while their handlers run on this request's thread.
/// </summary>
internal sealed class PostDispatcher(McpHttpOptions options, TimeProvider time)
{
    // Stateless POST streams: no session, no store (nothing to resume), never closed by a session.
    private readonly StreamContext _statelessStreams = new(string.Empty, options, null, time, CancellationToken.None);

    public async Task DispatchAsync(HttpContext http, McpSession mcp, BodyResult body, HttpSession? session, string? version)
    {
        // A session's messages go through it: an answer to another node's request is sent on to that node.
        Func<JsonRpcMessage, CancellationToken, ValueTask> receive = session is not null ? session.ReceiveAsync : mcp.ProcessMessageAsync;
        var requests = body.Messages.OfType<JsonRpcRequest>().ToArray();
        if (requests.Length == 0)
        {
            // HTTP-POST-202: notifications and responses are accepted with an empty body.
            foreach (var message in body.Messages)
            {
                await receive(message, http.RequestAborted).ConfigureAwait(false);
            }

            if (session is { IsClosed: true })
            {
                await SessionResolver.NotFoundAsync(http, null).ConfigureAwait(false);
                return;
            }

            http.Response.StatusCode = StatusCodes.Status202Accepted;
            return;
        }

        if (options.JsonResponse)
        {
            await AnswerWithJsonAsync(http, receive, body, session, requests).ConfigureAwait(false);
            return;
        }

        var stream = session is null ? new SseStream(_statelessStreams, "1", requests.Length) : await session.CreatePostStreamAsync(requests.Length, http.RequestAborted).ConfigureAwait(false);
        foreach (var request in requests)
        {
            request.Route = stream;
        }

        // Priming needs an event store and a 2025-11-25 client; older clients choke on empty data (SSE-PRIME).
        TimeSpan? priming = ProtocolVersions.SupportsSsePolling(version) ? options.RetryInterval : null;

        // Processing starts once the stream is attached, and is not awaited here: a synchronous tool has answered
        // before the stream even waits; a long one runs alongside while its progress streams out. A disconnect does not
        // stop it (SSE-DISCONNECT-NOT-CANCEL).
        Task processing = Task.CompletedTask;
        await stream.ServeAsync(http, resumeAfter: null, priming, () =>
        {
            processing = ProcessAllAsync(receive, body.Messages);
            return ValueTask.CompletedTask;
        }, session?.Closed ?? CancellationToken.None).ConfigureAwait(false);
        SseFraming.Observe(processing);
    }

    /// <summary>Writes one response as the whole answer: an SSE event, or JSON in JSON response mode.</summary>
    public async Task WriteSingleAsync(HttpContext http, JsonRpcMessage response)
    {
        if (options.JsonResponse)
        {
            await WriteJsonAsync(http, [response], batch: false).ConfigureAwait(false);
            return;
        }

        SseFraming.StartResponse(http);
        SseFraming.WriteEvent(http.Response.BodyWriter, null, null, JsonRpcMessageWriter.ToUtf8Bytes(response));
        await http.Response.BodyWriter.FlushAsync(http.RequestAborted).ConfigureAwait(false);
    }

    private static async Task AnswerWithJsonAsync(HttpContext http, Func<JsonRpcMessage, CancellationToken, ValueTask> receive, BodyResult body, HttpSession? session, JsonRpcRequest[] requests)
    {
        var sink = new JsonResponseSink(requests.Length, session is null ? static (_, _) => ValueTask.CompletedTask : session.WriteUnroutedAsync);
        foreach (var request in requests)
        {
            request.Route = sink;
        }

        // Handlers run on this request's thread; a batch's requests run side by side.
        SseFraming.Observe(ProcessAllAsync(receive, body.Messages));
        IReadOnlyList<JsonRpcMessage> responses;
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, session?.Closed ?? CancellationToken.None);
        try
        {
            responses = await sink.Responses.WaitAsync(ended.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            responses = [];
        }

        if (http.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        if (responses.Count == 0)
        {
            if (session is { IsClosed: true })
            {
                // The session ended while the request ran: it has no response, and the session no longer exists.
                await SessionResolver.NotFoundAsync(http, requests[0].Id).ConfigureAwait(false);
                return;
            }

            // Every request was cancelled by the client: there is no response to give.
            http.Response.StatusCode = StatusCodes.Status202Accepted;
            return;
        }

        await WriteJsonAsync(http, responses, body.IsBatch).ConfigureAwait(false);
    }

    // Starts every message's processing (each runs on this thread until its first real wait) and completes when all have.
    private static Task ProcessAllAsync(Func<JsonRpcMessage, CancellationToken, ValueTask> receive, IReadOnlyList<JsonRpcMessage> messages)
    {
        if (messages.Count == 1)
        {
            return receive(messages[0], CancellationToken.None).AsTask();
        }

        var all = new Task[messages.Count];
        for (int i = 0; i < all.Length; i++)
        {
            all[i] = receive(messages[i], CancellationToken.None).AsTask();
        }

        return Task.WhenAll(all);
    }

    private static async Task WriteJsonAsync(HttpContext http, IReadOnlyList<JsonRpcMessage> responses, bool batch)
    {
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "application/json";
        var writer = http.Response.BodyWriter;
        writer.Write(JsonRpcMessageWriter.ToUtf8Bytes(batch ? new JsonRpcBatch(responses) : responses[0]));
        await writer.FlushAsync(http.RequestAborted).ConfigureAwait(false);
    }
}

using System.Buffers;
using McpSharp.AspNetCore.Sessions;
using McpSharp.AspNetCore.Streams;
using McpSharp.JsonRpc;
using McpSharp.Protocol;
using McpSharp.Server;
using McpSharp.Transports.Http;
using Microsoft.AspNetCore.Http;

namespace McpSharp.AspNetCore.Http;

/// <summary>
/// POST: Accept (406) and Content-Type (415), the body (413, -32700, -32600), then <c>initialize</c> without a session
/// creates one; everything else goes through the <see cref="SessionResolver"/>, the protocol-version gate and the batch
/// rule. Notifications and responses are answered 202; requests get an SSE stream (or JSON in JSON response mode).
/// </summary>
internal sealed class PostHandler(McpServer server, SessionStore store, SessionResolver resolver, McpHttpOptions options, TimeProvider time)
{
    private McpSession? _stateless;

    // Stateless POST streams: no session, no store (nothing to resume), never closed by a session.
    private readonly StreamContext _statelessStreams = new(string.Empty, options, null, time, CancellationToken.None);

    public async Task HandleAsync(HttpContext http)
    {
        if (!ContentNegotiation.PostAccepts(http.Request))
        {
            await HttpErrors.WriteAsync(http, StatusCodes.Status406NotAcceptable, McpErrorCodes.ServerError, "Not Acceptable: Client must accept both application/json and text/event-stream").ConfigureAwait(false);
            return;
        }

        if (!ContentNegotiation.IsJson(http.Request))
        {
            await HttpErrors.WriteAsync(http, StatusCodes.Status415UnsupportedMediaType, McpErrorCodes.ServerError, "Unsupported Media Type: Content-Type must be application/json").ConfigureAwait(false);
            return;
        }

        var body = await JsonRpcBodyReader.ReadAsync(http, options.MaxRequestBodySize).ConfigureAwait(false);
        if (!body.Ok)
        {
            await HttpErrors.WriteAsync(http, body.Status, body.Error!.Code, body.Error.Message, body.ErrorId).ConfigureAwait(false);
            return;
        }

        RequestId? firstId = body.Messages.OfType<JsonRpcRequest>().FirstOrDefault()?.Id;
        var initialize = body.Messages.OfType<JsonRpcRequest>().FirstOrDefault(r => r.Method == McpMethods.Initialize);
        if (initialize is not null && body.IsBatch)
        {
            await HttpErrors.WriteAsync(http, StatusCodes.Status400BadRequest, McpErrorCodes.InvalidRequest, "Invalid Request: initialize must not be part of a batch.", firstId).ConfigureAwait(false);
            return;
        }

        if (!ProtocolVersionGate.Allows(http.Request, out string? headerVersion))
        {
            await ProtocolVersionGate.RejectAsync(http, headerVersion).ConfigureAwait(false);
            return;
        }

        if (options.Stateless)
        {
            await HandleStatelessAsync(http, body, headerVersion).ConfigureAwait(false);
            return;
        }

        if (initialize is not null && string.IsNullOrEmpty(http.Request.Headers[McpHttpHeaders.SessionId]))
        {
            await InitializeAsync(http, initialize).ConfigureAwait(false);
            return;
        }

        // Every other POST, and an initialize that carries a (stale) session id, goes through the resolver.
        var session = await resolver.ResolveAsync(http, firstId).ConfigureAwait(false);
        if (session is null)
        {
            return;
        }

        if (initialize is not null)
        {
            await HttpErrors.WriteAsync(http, StatusCodes.Status400BadRequest, McpErrorCodes.InvalidRequest, "Invalid Request: the session is already initialized.", firstId).ConfigureAwait(false);
            return;
        }

        if (body.IsBatch && !ProtocolVersions.AllowsBatches(session.Mcp.ProtocolVersion))
        {
            await HttpErrors.WriteAsync(http, StatusCodes.Status400BadRequest, McpErrorCodes.InvalidRequest, "Invalid Request: JSON-RPC batches are only allowed in protocol version 2025-03-26.").ConfigureAwait(false);
            return;
        }

        using var work = session.BeginWork();
        await DispatchAsync(http, session.Mcp, body, session, session.Mcp.ProtocolVersion).ConfigureAwait(false);
    }

    private async Task InitializeAsync(HttpContext http, JsonRpcRequest initialize)
    {
        var session = await store.TryCreateAsync(SessionResolver.UserKey(http.User)).ConfigureAwait(false);
        if (session is null)
        {
            http.Response.Headers.RetryAfter = "5";
            await HttpErrors.WriteAsync(http, StatusCodes.Status503ServiceUnavailable, McpErrorCodes.ServerError, "Service Unavailable: the server has too many sessions; retry later.", initialize.Id).ConfigureAwait(false);
            return;
        }

        JsonRpcMessage response;
        using (session.CreationWork())
        {
            var sink = new JsonResponseSink(1, static (_, _) => ValueTask.CompletedTask);
            initialize.Route = sink;
            using var ended = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, session.Closed);
            IReadOnlyList<JsonRpcMessage> responses;
            try
            {
                await session.Mcp.ProcessMessageAsync(initialize, ended.Token).ConfigureAwait(false);
                responses = await sink.Responses.WaitAsync(ended.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                responses = [];
            }

            if (responses.Count == 0)
            {
                // The client left, or the session was evicted before its initialize ran: nobody will ever know its id.
                await store.TryRemoveAsync(session).ConfigureAwait(false);
                if (!http.RequestAborted.IsCancellationRequested)
                {
                    await HttpErrors.SessionNotFoundAsync(http, initialize.Id).ConfigureAwait(false);
                }

                return;
            }

            response = responses[0];
        }

        if (response is JsonRpcErrorResponse error)
        {
            // A failed initialize leaves no session behind.
            await store.TryRemoveAsync(session).ConfigureAwait(false);
            await HttpErrors.WriteAsync(http, StatusCodes.Status400BadRequest, error.Error.Code, error.Error.Message, initialize.Id).ConfigureAwait(false);
            return;
        }

        // HTTP-SESS-ASSIGN: the id travels on the response that carries the InitializeResult.
        http.Response.Headers[McpHttpHeaders.SessionId] = session.Id;
        await WriteSingleAsync(http, response).ConfigureAwait(false);
    }

    private async Task HandleStatelessAsync(HttpContext http, BodyResult body, string? version)
    {
        if (body.IsBatch && !ProtocolVersions.AllowsBatches(version ?? ProtocolVersions.HttpDefault))
        {
            await HttpErrors.WriteAsync(http, StatusCodes.Status400BadRequest, McpErrorCodes.InvalidRequest, "Invalid Request: JSON-RPC batches are only allowed in protocol version 2025-03-26.").ConfigureAwait(false);
            return;
        }

        // Each stateless POST carries its own client context: nothing one client sets reaches another.
        var client = McpClientContext.ForStatelessRequest(version);
        foreach (var message in body.Messages)
        {
            if (message is JsonRpcRequest request)
            {
                request.Client = client;
            }
        }

        await DispatchAsync(http, StatelessSession, body, null, client.ProtocolVersion).ConfigureAwait(false);
    }

    // Every stateless POST stands alone, so all of them share one session that keeps no per-request state: request ids
    // need not be unique across POSTs, and nothing outlives a POST (a message not tied to it has nowhere to go; a
    // server-to-client request fails at once).
    // Its concurrency is not capped per session: each stateless POST is one HTTP request, bounded by the server's own
    // connection and request limits, and a per-session cap here would throttle every client together.
    private McpSession StatelessSession => LazyInitializer.EnsureInitialized(ref _stateless, () => server.CreateSession(
        new HttpServerTransport(static (message, _) => message is JsonRpcRequest
            ? throw new InvalidOperationException("Stateless mode has no stream for server-to-client requests.")
            : ValueTask.CompletedTask),
        new McpSessionOptions
        {
            Stateless = true,
            JsonRpc = new JsonRpcOptions
            {
                MaxConcurrentRequests = int.MaxValue / 2,
                MaxQueuedRequests = 0,
                RequestTimeout = server.Options.JsonRpc.RequestTimeout,
                ShutdownTimeout = server.Options.JsonRpc.ShutdownTimeout,
            },
        }));

    private async Task DispatchAsync(HttpContext http, McpSession mcp, BodyResult body, HttpSession? session, string? version)
    {
        var requests = body.Messages.OfType<JsonRpcRequest>().ToArray();
        if (requests.Length == 0)
        {
            // HTTP-POST-202: notifications and responses are accepted with an empty body.
            foreach (var message in body.Messages)
            {
                await mcp.ProcessMessageAsync(message, http.RequestAborted).ConfigureAwait(false);
            }

            if (session is { IsClosed: true })
            {
                await HttpErrors.SessionNotFoundAsync(http, null).ConfigureAwait(false);
                return;
            }

            http.Response.StatusCode = StatusCodes.Status202Accepted;
            return;
        }

        if (options.JsonResponse)
        {
            var sink = new JsonResponseSink(requests.Length, session is null ? static (_, _) => ValueTask.CompletedTask : session.WriteUnroutedAsync);
            foreach (var request in requests)
            {
                request.Route = sink;
            }

            // Handlers run on this request's thread; a batch's requests run side by side.
            Observe(ProcessAllAsync(mcp, body.Messages));
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
                    await HttpErrors.SessionNotFoundAsync(http, requests[0].Id).ConfigureAwait(false);
                    return;
                }

                // Every request was cancelled by the client: there is no response to give.
                http.Response.StatusCode = StatusCodes.Status202Accepted;
                return;
            }

            await WriteJsonAsync(http, responses, body.IsBatch).ConfigureAwait(false);
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
            processing = ProcessAllAsync(mcp, body.Messages);
            return ValueTask.CompletedTask;
        }, session?.Closed ?? CancellationToken.None).ConfigureAwait(false);
        Observe(processing);
    }

    // Processing outlives the HTTP request when the client leaves; its (unexpected) failure must not go unobserved.
    private static void Observe(Task processing)
    {
        if (!processing.IsCompletedSuccessfully)
        {
            _ = processing.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    // Starts every message's processing (each runs on this thread until its first real wait) and completes when all have.
    private static Task ProcessAllAsync(McpSession mcp, IReadOnlyList<JsonRpcMessage> messages)
    {
        if (messages.Count == 1)
        {
            return mcp.ProcessMessageAsync(messages[0]).AsTask();
        }

        var all = new Task[messages.Count];
        for (int i = 0; i < all.Length; i++)
        {
            all[i] = mcp.ProcessMessageAsync(messages[i]).AsTask();
        }

        return Task.WhenAll(all);
    }

    private async Task WriteSingleAsync(HttpContext http, JsonRpcMessage response)
    {
        if (options.JsonResponse)
        {
            await WriteJsonAsync(http, [response], batch: false).ConfigureAwait(false);
            return;
        }

        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache,no-store";
        SseFraming.WriteEvent(http.Response.BodyWriter, null, null, JsonRpcMessageWriter.ToUtf8Bytes(response));
        await http.Response.BodyWriter.FlushAsync(http.RequestAborted).ConfigureAwait(false);
    }

    private static async Task WriteJsonAsync(HttpContext http, IReadOnlyList<JsonRpcMessage> responses, bool batch)
    {
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "application/json";
        var writer = http.Response.BodyWriter;
        if (batch)
        {
            writer.Write("["u8);
        }

        for (int i = 0; i < responses.Count; i++)
        {
            if (i > 0)
            {
                writer.Write(","u8);
            }

            writer.Write(JsonRpcMessageWriter.ToUtf8Bytes(responses[i]));
        }

        if (batch)
        {
            writer.Write("]"u8);
        }

        await writer.FlushAsync(http.RequestAborted).ConfigureAwait(false);
    }
}

using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using McpSharp.JsonRpc;
using McpSharp.Protocol;

namespace McpSharp.Client;

/// <summary>
/// How a 2026-07-28 client sends a request: <c>_meta</c> stamped on every attempt; an <c>input_required</c> result
/// answered with the application's sampling, elicitation and roots handlers and retried as a new request (new id, the
/// original params plus <c>inputResponses</c> and the <c>requestState</c> echoed unread; M26-MRTR-CLIENT-*), for a
/// bounded number of rounds; a request whose answer was lost sent once more (M26-HTTP-NO-RESUME); a <c>resultType</c>
/// this client does not know refused (M26-RESULT-TYPE-UNKNOWN); and a
/// <c>tools/call</c> refused for its <c>Mcp-Param-*</c> headers (-32020) retried once after listing the tools again
/// (M26-HTTP-XMCP-SERVER). Each call keeps its own params object, so parallel calls never see each other's answers.
/// </summary>
internal sealed class PerRequestSender(JsonRpcConnection connection, McpClientHandler handler, McpClientOptions options, ToolHeaderCatalog tools, TimeProvider time)
{
    private volatile PerRequestMeta _meta = null!;

    public PerRequestMeta Meta
    {
        get => _meta;
        set => _meta = value;
    }

    /// <summary>
    /// Sends the request through its input rounds; a <c>tools/call</c> that became a task is followed to its end, unless
    /// <paramref name="followTasks"/> is false: then the task's handle is the result.
    /// </summary>
    public async Task<JsonPayload> SendAsync<TParams>(string method, TParams parameters, JsonTypeInfo<TParams> type, TimeSpan? timeout, CancellationToken cancellationToken, bool followTasks = true)
        where TParams : RequestParams
    {
        try
        {
            return await SendRoundsAsync(method, parameters, type, timeout, followTasks, cancellationToken).ConfigureAwait(false);
        }
        catch (McpProtocolException refused) when (refused.ErrorCode == McpErrorCodes.HeaderMismatch && method == McpMethods.ToolsCall)
        {
            // The server (or an intermediary) knows x-mcp-header parameters this client had not listed yet.
            await RefreshToolsAsync(cancellationToken).ConfigureAwait(false);
            if (parameters is InputResponseRequestParams input)
            {
                input.InputResponses = null;
                input.RequestState = null;
            }

            return await SendRoundsAsync(method, parameters, type, timeout, followTasks, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<JsonPayload> SendRoundsAsync<TParams>(string method, TParams parameters, JsonTypeInfo<TParams> type, TimeSpan? timeout, bool followTasks, CancellationToken cancellationToken)
        where TParams : RequestParams
    {
        for (int round = 0; ; round++)
        {
            _meta.Stamp(parameters);
            var result = await SendOnceAsync(method, JsonPayload.FromValue(parameters, type), timeout, cancellationToken).ConfigureAwait(false);
            string? resultType = ResultTypeOf(result);
            if (resultType is null or ResultTypes.Complete)
            {
                // M26-RESULT-TYPE-REQUIRED: an absent resultType means complete.
                return result;
            }

            if (resultType == McpTasks.ResultType && method == McpMethods.ToolsCall && options.UseTasks)
            {
                // The tasks extension: the call goes on as a task, followed to its end (or handed to the caller as it is).
                if (!followTasks)
                {
                    return result;
                }

                var handle = McpClient.ReadResult(method, result, McpJsonContext.Default.CreateTaskResult);
                return await TaskFollower.FollowAsync(this, time, handle.TaskId, handle.PollIntervalMs, cancelTaskOnGiveUp: true, cancellationToken).ConfigureAwait(false);
            }

            if (resultType != ResultTypes.InputRequired || parameters is not InputResponseRequestParams input)
            {
                throw new McpProtocolException(McpErrorCodes.InternalError, $"The server answered '{method}' with resultType '{resultType}', which this client does not know.");
            }

            if (round >= options.MaxInputRounds)
            {
                throw new McpProtocolException(McpErrorCodes.InternalError, $"The server still asked for input after {options.MaxInputRounds} rounds of '{method}'.");
            }

            var required = McpClient.ReadResult(method, result, McpJsonContext.Default.InputRequiredResult);
            input.InputResponses = required.InputRequests is { Count: > 0 } requests ? await AnswerAsync(requests, cancellationToken).ConfigureAwait(false) : null;

            // Byte-exact and unread; none when the server sent none (M26-MRTR-CLIENT-STATE).
            input.RequestState = required.RequestState;
        }
    }

    /// <summary>One <c>tasks/*</c> request, with this client's <c>_meta</c>.</summary>
    internal Task<JsonPayload> SendTaskRequestAsync<TParams>(string method, TParams parameters, JsonTypeInfo<TParams> type, TimeSpan? timeout, CancellationToken cancellationToken)
        where TParams : RequestParams
    {
        _meta.Stamp(parameters);
        return SendOnceAsync(method, JsonPayload.FromValue(parameters, type), timeout, cancellationToken);
    }

    // M26-HTTP-NO-RESUME: a request whose answer stream broke is lost, and is sent again as a new request (a new id),
    // once; a second loss reaches the caller.
    private async Task<JsonPayload> SendOnceAsync(string method, JsonPayload parameters, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await connection.SendRequestAsync(method, parameters, null, timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (McpRequestLostException)
        {
            return await connection.SendRequestAsync(method, parameters, null, timeout, cancellationToken).ConfigureAwait(false);
        }
    }

    // M26-MRTR-CLIENT-FULFIL: every input request is answered before the retry, one after another (each may ask a person).
    internal async Task<Dictionary<string, JsonElement>> AnswerAsync(Dictionary<string, InputRequest> requests, CancellationToken cancellationToken)
    {
        var answers = new Dictionary<string, JsonElement>(requests.Count, StringComparer.Ordinal);
        foreach (var (key, request) in requests)
        {
            var parameters = request.Params is { } p ? JsonPayload.FromRaw(JsonSerializer.SerializeToUtf8Bytes(p, McpJsonContext.Default.JsonElement)) : JsonPayload.None;
            var answer = await handler.AnswerAsync(request.Method, parameters, cancellationToken).ConfigureAwait(false);
            answers[key] = answer.Deserialize(McpJsonContext.Default.JsonElement);
        }

        return answers;
    }

    private async Task RefreshToolsAsync(CancellationToken cancellationToken)
    {
        string? cursor = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        do
        {
            var page = new PaginatedRequestParams { Cursor = cursor };
            var result = await SendRoundsAsync(McpMethods.ToolsList, page, McpJsonContext.Default.PaginatedRequestParams, null, followTasks: true, cancellationToken).ConfigureAwait(false);
            var list = McpClient.ReadResult(McpMethods.ToolsList, result, McpJsonContext.Default.ListToolsResult);
            tools.Learn(list.Tools);
            cursor = list.NextCursor;
        }
        while (cursor is not null && seen.Add(cursor));
    }

    // The top-level "resultType" of a result, read without materializing the rest.
    internal static string? ResultTypeOf(JsonPayload result)
    {
        if (result.Raw.IsEmpty)
        {
            return null;
        }

        var reader = new Utf8JsonReader(result.Raw.Span);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool isResultType = reader.ValueTextEquals("resultType"u8);
            reader.Read();
            if (isResultType)
            {
                return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }

            reader.Skip();
        }

        return null;
    }
}

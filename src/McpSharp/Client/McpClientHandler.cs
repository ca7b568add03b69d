using System.Collections.Concurrent;
using System.Text.Json;
using McpSharp.JsonRpc;
using McpSharp.Protocol;

namespace McpSharp.Client;

/// <summary>
/// What a client does with the server's requests (ping, sampling, elicitation, roots) and notifications (progress,
/// log messages, resource updates, list changes).
/// </summary>
internal sealed class McpClientHandler(McpClient client, McpClientOptions options) : IJsonRpcHandler
{
    public ConcurrentDictionary<ProgressToken, IProgress<ProgressNotificationValue>> Progress { get; } = new();

    /// <summary>The open <c>subscriptions/listen</c> streams, by listen request id: each gets the notifications tagged with it.</summary>
    public ConcurrentDictionary<RequestId, Action<JsonRpcNotification>> Listens { get; } = new();

    public bool MustHandleInOrder(JsonRpcRequest request) => false;

    public ValueTask<JsonPayload> HandleRequestAsync(JsonRpcRequest request, CancellationToken cancellationToken) =>
        AnswerAsync(request.Method, request.Params, cancellationToken);

    /// <summary>
    /// Answers one of the server's requests: sent as a JSON-RPC request (2025 revisions), or carried in an
    /// <c>input_required</c> result for the client to answer before it retries (2026-07-28, M26-MRTR-CLIENT-FULFIL).
    /// </summary>
    public async ValueTask<JsonPayload> AnswerAsync(string method, JsonPayload parameters, CancellationToken cancellationToken)
    {
        switch (method)
        {
            case McpMethods.Ping:
                return JsonPayload.FromValue(EmptyResult.Instance, McpJsonContext.Default.EmptyResult);

            case McpMethods.SamplingCreateMessage when options.SamplingHandler is { } sampling:
                var sample = Read(parameters, McpJsonContext.Default.CreateMessageRequestParams);
                if ((sample.Tools is not null || sample.ToolChoice is not null) && !options.SamplingSupportsTools)
                {
                    // SAMP-TOOLS-CLIENT-ERR
                    throw new McpProtocolException(McpErrorCodes.InvalidParams, "Invalid params: this client did not declare sampling.tools.");
                }

                var message = await sampling(sample, cancellationToken).ConfigureAwait(false);
                return JsonPayload.FromValue(message, McpJsonContext.Default.CreateMessageResult);

            case McpMethods.ElicitationCreate when options.ElicitationHandler is { } elicitation:
                var elicit = Read(parameters, McpJsonContext.Default.ElicitRequestParams);
                if (elicit.IsUrlMode ? !options.ElicitationSupportsUrl : !options.ElicitationSupportsForm)
                {
                    // ELIC-MODE-UNDECLARED-ERR
                    throw new McpProtocolException(McpErrorCodes.InvalidParams, $"Invalid params: this client did not declare elicitation mode '{elicit.Mode ?? "form"}'.");
                }

                var answer = await elicitation(elicit, cancellationToken).ConfigureAwait(false);
                if (!elicit.IsUrlMode && options.ApplyElicitationDefaults && answer.Action == "accept")
                {
                    answer.Content = ElicitationDefaults.Apply(elicit.RequestedSchema, answer.Content);
                }

                return JsonPayload.FromValue(answer, McpJsonContext.Default.ElicitResult);

            case McpMethods.RootsList when options.Roots is { } roots:
                return JsonPayload.FromValue(new ListRootsResult { Roots = [.. roots] }, McpJsonContext.Default.ListRootsResult);

            case McpMethods.RootsList:
                // ROOTS-UNSUPPORTED
                throw new McpProtocolException(McpErrorCodes.MethodNotFound, "Roots not supported");

            default:
                throw new McpProtocolException(McpErrorCodes.MethodNotFound, $"Method not found: {method}");
        }
    }

    public ValueTask HandleNotificationAsync(JsonRpcNotification notification, CancellationToken cancellationToken)
    {
        if (RequestEnvelope.TryGetSubscriptionId(notification.Meta.Span, out var listenId) && Listens.TryGetValue(listenId, out var listen))
        {
            listen(notification);
        }

        try
        {
            switch (notification.Method)
            {
                case McpMethods.NotificationsProgress:
                    var progress = notification.Params.Deserialize(McpJsonContext.Default.ProgressNotificationParams);
                    if (progress is not null && Progress.TryGetValue(progress.ProgressToken, out var reporter))
                    {
                        reporter.Report(new ProgressNotificationValue(progress.Progress, progress.Total, progress.Message));
                    }

                    break;
                case McpMethods.NotificationsMessage:
                    client.OnLogMessage(notification.Params.Deserialize(McpJsonContext.Default.LoggingMessageNotificationParams)!);
                    break;
                case McpMethods.NotificationsResourcesUpdated:
                    client.OnResourceUpdated(notification.Params.Deserialize(McpJsonContext.Default.ResourceUpdatedNotificationParams)!);
                    break;
                case McpMethods.NotificationsToolsListChanged:
                case McpMethods.NotificationsResourcesListChanged:
                case McpMethods.NotificationsPromptsListChanged:
                    client.OnListChanged(notification.Method);
                    break;
                case McpMethods.NotificationsElicitationComplete:
                    client.OnElicitationComplete(notification.Params.Deserialize(McpJsonContext.Default.ElicitationCompleteNotificationParams)!);
                    break;
            }
        }
        catch (JsonException)
        {
            // A malformed notification is ignored: there is nobody to answer.
        }

        return ValueTask.CompletedTask;
    }

    private static T Read<T>(JsonPayload parameters, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info)
        where T : class
    {
        try
        {
            return parameters.Deserialize(info) ?? throw new McpProtocolException(McpErrorCodes.InvalidParams, "Invalid params: params are required.");
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw new McpProtocolException(McpErrorCodes.InvalidParams, "Invalid params: " + ex.Message, ex);
        }
    }
}

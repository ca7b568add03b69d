using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using McpSharp.JsonRpc;
using McpSharp.Protocol;

namespace McpSharp.Server;

/// <summary>
/// The open <c>subscriptions/listen</c> streams of a server (2026-07-28, M26-SUB-*): each gets the change notifications
/// it opted in to, tagged with its subscription id, and nothing else (never <c>notifications/message</c> or progress,
/// M26-SUB-ONLY-CHANGE-NOTIFS). A slow stream delays only itself.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Lives as long as its server; a CancellationTokenSource without a timer holds nothing to release.")]
internal sealed class Subscriptions
{
    private readonly ConcurrentDictionary<Listener, byte> _listeners = new();
    private readonly CancellationTokenSource _closing = new();

    /// <summary>Cancelled when the server tears every subscription down (shutdown).</summary>
    public CancellationToken Closing => _closing.Token;

    public int Count => _listeners.Count;

    public void Add(Listener listener) => _listeners.TryAdd(listener, 0);

    public void Remove(Listener listener) => _listeners.TryRemove(listener, out _);

    /// <summary>Ends every subscription gracefully: each listen request answers with its closing result.</summary>
    public void CloseAll() => _closing.Cancel();

    /// <summary>A list changed: <paramref name="method"/> goes to every stream whose filter asked for it.</summary>
    public void PublishListChanged(string method)
    {
        foreach (var listener in _listeners.Keys)
        {
            var filter = listener.Filter;
            bool wanted = method switch
            {
                McpMethods.NotificationsToolsListChanged => filter.ToolsListChanged == true,
                McpMethods.NotificationsPromptsListChanged => filter.PromptsListChanged == true,
                McpMethods.NotificationsResourcesListChanged => filter.ResourcesListChanged == true,
                _ => false,
            };
            if (wanted)
            {
                listener.Post(method, null);
            }
        }
    }

    /// <summary>A resource changed: <c>resources/updated</c> goes to every stream subscribed to it (or to a resource containing it).</summary>
    public void PublishResourceUpdated(string uri)
    {
        foreach (var listener in _listeners.Keys)
        {
            if (listener.Filter.ResourceSubscriptions is { } uris && uris.Any(subscribed => ResourceUris.Covers(subscribed, uri)))
            {
                listener.Post(McpMethods.NotificationsResourcesUpdated, uri);
            }
        }
    }

    /// <summary>A task changed: its state goes to every stream that asked for it (the tasks extension).</summary>
    public void PublishTaskChanged(string taskId, IMcpTaskStore store)
    {
        foreach (var listener in _listeners.Keys)
        {
            if (listener.Filter.TaskIds is { } ids && ids.Contains(taskId, StringComparer.Ordinal))
            {
                listener.PostTask(taskId, store);
            }
        }
    }

    /// <summary>
    /// One listen stream: its subscription id, what it honours, and where its notifications go. Notifications leave one
    /// at a time, in order, and never before the acknowledgement (M26-SUB-ACK-FIRST).
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The SemaphoreSlim never allocates a wait handle (only WaitAsync is used), so it holds nothing to dispose.")]
    internal sealed class Listener(McpSession session, RequestId id, SubscriptionFilter filter, MessageRoute? route)
    {
        private readonly SemaphoreSlim _order = new(0, 1); // closed until the acknowledgement is out
        private readonly byte[] _tag = JsonSerializer.SerializeToUtf8Bytes(id, McpJsonContext.Default.RequestId);
        private readonly Dictionary<string, byte[]> _lastTaskStates = new(StringComparer.Ordinal);

        public SubscriptionFilter Filter { get; } = filter;

        /// <summary>Sends the acknowledgement, then lets the notifications queued behind it through.</summary>
        public async Task AcknowledgeAsync(CancellationToken cancellationToken)
        {
            try
            {
                await session.SendNotificationAsync(McpMethods.NotificationsSubscriptionsAcknowledged, Params(null, Filter), route, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _order.Release();
            }
        }

        /// <summary>The closing result of the listen request: <c>_meta.subscriptionId</c> and nothing else (M26-SUB-CLOSE).</summary>
        public JsonPayload ClosingResult() => Params(null, null);

        public void Post(string method, string? uri) => _ = SendAsync(method, uri);

        /// <summary>
        /// Sends the task's state as it is when its turn comes (read in order, so a later notification never shows an
        /// older state), unless this stream already had exactly that state.
        /// </summary>
        public void PostTask(string taskId, IMcpTaskStore store) => _ = SendTaskAsync(taskId, store);

        private async Task SendTaskAsync(string taskId, IMcpTaskStore store)
        {
            await _order.WaitAsync().ConfigureAwait(false);
            try
            {
                if (await store.GetAsync(taskId, CancellationToken.None).ConfigureAwait(false) is not { } task)
                {
                    return;
                }

                byte[] state = JsonSerializer.SerializeToUtf8Bytes(task.Details(), McpJsonContext.Default.McpTaskDetails);
                if (_lastTaskStates.TryGetValue(taskId, out var last) && last.AsSpan().SequenceEqual(state))
                {
                    return;
                }

                _lastTaskStates[taskId] = state;
                await session.TrySendNotificationAsync(McpTasks.StatusNotification, Params(null, null, state), route).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The store could not be read (e.g. Redis away): the client's next tasks/get tells the state.
            }
            finally
            {
                _order.Release();
            }
        }

        private async Task SendAsync(string method, string? uri)
        {
            await _order.WaitAsync().ConfigureAwait(false);
            try
            {
                await session.TrySendNotificationAsync(method, Params(uri, null), route).ConfigureAwait(false);
            }
            finally
            {
                _order.Release();
            }
        }

        // {"uri"?:..., "notifications"?:..., the members of a task's state?, "_meta":{"io.modelcontextprotocol/subscriptionId":<id>}}
        // (M26-SUB-ID-TAG).
        private JsonPayload Params(string? uri, SubscriptionFilter? notifications, byte[]? task = null)
        {
            var buffer = new ArrayBufferWriter<byte>(128);
            using (var writer = new Utf8JsonWriter(buffer, JsonWriting.Values))
            {
                writer.WriteStartObject();
                if (task is not null)
                {
                    using var state = JsonDocument.Parse(task);
                    foreach (var member in state.RootElement.EnumerateObject())
                    {
                        if (!member.NameEquals("_meta"u8))
                        {
                            member.WriteTo(writer);
                        }
                    }
                }

                if (uri is not null)
                {
                    writer.WriteString("uri"u8, uri);
                }

                if (notifications is not null)
                {
                    writer.WritePropertyName("notifications"u8);
                    JsonSerializer.Serialize(writer, notifications, McpJsonContext.Default.SubscriptionFilter);
                }

                writer.WriteStartObject("_meta"u8);
                writer.WritePropertyName(RequestEnvelope.SubscriptionIdKey);
                writer.WriteRawValue(_tag, skipInputValidation: true);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            return JsonPayload.FromRaw(buffer.WrittenMemory);
        }
    }
}

/// <summary>When an update of one resource concerns a subscription to another (RES-SUBSCRIBE).</summary>
internal static class ResourceUris
{
    /// <summary>True when <paramref name="uri"/> is <paramref name="subscribed"/> or a resource under it.</summary>
    public static bool Covers(string subscribed, string uri) =>
        uri.Length == subscribed.Length
            ? string.Equals(uri, subscribed, StringComparison.Ordinal)
            : uri.StartsWith(subscribed, StringComparison.Ordinal) && (subscribed.EndsWith('/') || uri[subscribed.Length] == '/');
}

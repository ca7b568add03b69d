using System.Collections.Concurrent;
using System.Text.Json;
using McpSharp.JsonRpc;
using McpSharp.Protocol;

namespace McpSharp.Client;

/// <summary>
/// The cache hints of revision 2026-07-28 (M26-CACHE-CLIENT) for the results that may carry them: the lists and
/// <c>resources/read</c>. A result is kept for its <c>ttlMs</c> (absent or negative: not at all), under its method and
/// the one parameter that tells results apart (the cursor, the URI); never a result that took input rounds. A list
/// change drops that kind of list; a resource update drops that resource. One client is one authorization context, so
/// <c>cacheScope</c> needs no separate store here.
/// </summary>
internal sealed class ResultCache(TimeProvider time)
{
    private readonly ConcurrentDictionary<(string Method, string Key), Entry> _entries = new();

    public bool TryGet(string method, string key, out JsonPayload result)
    {
        if (_entries.TryGetValue((method, key), out var entry))
        {
            if (time.GetTimestamp() < entry.Expires)
            {
                result = entry.Result;
                return true;
            }

            _entries.TryRemove(KeyValuePair.Create((method, key), entry));
        }

        result = default;
        return false;
    }

    public void Store(string method, string key, JsonPayload result)
    {
        long ttl = TtlOf(result);
        if (ttl > 0)
        {
            // A copy: the received bytes may live in a buffer the transport reuses.
            _entries[(method, key)] = new Entry(JsonPayload.FromRaw(result.Raw.ToArray()), time.GetTimestamp() + (long)(ttl / 1000.0 * time.TimestampFrequency));
        }
    }

    /// <summary>Drops what a change notification makes stale.</summary>
    public void Invalidate(string notification, string? uri = null)
    {
        string[] methods = notification switch
        {
            McpMethods.NotificationsToolsListChanged => [McpMethods.ToolsList],
            McpMethods.NotificationsPromptsListChanged => [McpMethods.PromptsList],
            McpMethods.NotificationsResourcesListChanged => [McpMethods.ResourcesList, McpMethods.ResourcesTemplatesList],
            _ => [],
        };
        foreach (var key in _entries.Keys)
        {
            if (methods.Contains(key.Method) || (uri is not null && key.Method == McpMethods.ResourcesRead && key.Key == uri))
            {
                _entries.TryRemove(key, out _);
            }
        }
    }

    private static long TtlOf(JsonPayload result)
    {
        if (result.Raw.IsEmpty)
        {
            return 0;
        }

        var reader = new Utf8JsonReader(result.Raw.Span);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return 0;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool isTtl = reader.ValueTextEquals("ttlMs"u8);
            reader.Read();
            if (isTtl)
            {
                return reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long ttl) ? Math.Max(0, ttl) : 0;
            }

            reader.Skip();
        }

        return 0;
    }

    private readonly record struct Entry(JsonPayload Result, long Expires);
}

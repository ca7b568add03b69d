using System.Runtime.CompilerServices;
using System.Text.Json;
using McpSharp.Protocol;

namespace McpSharp.Client;

public sealed partial class McpClient
{
    /// <summary>
    /// One page of <c>tools/list</c>. In revision 2026-07-28 over HTTP, a tool whose <c>x-mcp-header</c> annotations are
    /// invalid is left out (with a warning), and the others' annotated arguments travel as <c>Mcp-Param-*</c> headers.
    /// </summary>
    public async Task<ListToolsResult> ListToolsAsync(string? cursor = null, CancellationToken cancellationToken = default)
    {
        var result = await RequestAsync(McpMethods.ToolsList, new PaginatedRequestParams { Cursor = cursor }, McpJsonContext.Default.PaginatedRequestParams, McpJsonContext.Default.ListToolsResult, null, cancellationToken, cursor ?? string.Empty).ConfigureAwait(false);
        if (_perRequest is not null && _transport is IPerRequestTransport)
        {
            // M26-HTTP-XMCP-VALIDITY
            _tools.Learn(result.Tools);
        }

        return result;
    }

    /// <summary>Every tool, page after page (PAGE-END: until there is no <c>nextCursor</c>).</summary>
    public IAsyncEnumerable<Tool> EnumerateToolsAsync(CancellationToken cancellationToken = default) =>
        EnumerateAsync(cursor => ListToolsAsync(cursor, cancellationToken), r => r.Tools, r => r.NextCursor, cancellationToken);

    /// <summary>Calls a tool. Tool failures come back as a result with <c>IsError</c>; protocol errors throw.</summary>
    /// <param name="name">The tool.</param>
    /// <param name="arguments">The arguments, as JSON values.</param>
    /// <param name="progress">Receives the server's <c>notifications/progress</c> for this call.</param>
    /// <param name="timeout">The call's timeout (default <see cref="JsonRpc.JsonRpcOptions.RequestTimeout"/>).</param>
    /// <param name="cancellationToken">Cancelling sends <c>notifications/cancelled</c>.</param>
    public async Task<CallToolResult> CallToolAsync(string name, IReadOnlyDictionary<string, JsonElement>? arguments = null, IProgress<ProgressNotificationValue>? progress = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var parameters = new CallToolRequestParams { Name = name, Arguments = arguments is null ? null : new Dictionary<string, JsonElement>(arguments) };
        var token = RegisterProgress(parameters, progress);
        try
        {
            return await RequestAsync(McpMethods.ToolsCall, parameters, McpJsonContext.Default.CallToolRequestParams, McpJsonContext.Default.CallToolResult, timeout, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            UnregisterProgress(token);
        }
    }

    /// <summary>One page of <c>resources/list</c>.</summary>
    public Task<ListResourcesResult> ListResourcesAsync(string? cursor = null, CancellationToken cancellationToken = default) =>
        RequestAsync(McpMethods.ResourcesList, new PaginatedRequestParams { Cursor = cursor }, McpJsonContext.Default.PaginatedRequestParams, McpJsonContext.Default.ListResourcesResult, null, cancellationToken, cursor ?? string.Empty);

    /// <summary>Every resource, page after page.</summary>
    public IAsyncEnumerable<Resource> EnumerateResourcesAsync(CancellationToken cancellationToken = default) =>
        EnumerateAsync(cursor => ListResourcesAsync(cursor, cancellationToken), r => r.Resources, r => r.NextCursor, cancellationToken);

    /// <summary>One page of <c>resources/templates/list</c>.</summary>
    public Task<ListResourceTemplatesResult> ListResourceTemplatesAsync(string? cursor = null, CancellationToken cancellationToken = default) =>
        RequestAsync(McpMethods.ResourcesTemplatesList, new PaginatedRequestParams { Cursor = cursor }, McpJsonContext.Default.PaginatedRequestParams, McpJsonContext.Default.ListResourceTemplatesResult, null, cancellationToken, cursor ?? string.Empty);

    /// <summary>Every resource template, page after page.</summary>
    public IAsyncEnumerable<ResourceTemplate> EnumerateResourceTemplatesAsync(CancellationToken cancellationToken = default) =>
        EnumerateAsync(cursor => ListResourceTemplatesAsync(cursor, cancellationToken), r => r.ResourceTemplates, r => r.NextCursor, cancellationToken);

    /// <summary>Reads a resource.</summary>
    public Task<ReadResourceResult> ReadResourceAsync(string uri, CancellationToken cancellationToken = default) =>
        RequestAsync(McpMethods.ResourcesRead, new ResourceRequestParams { Uri = uri }, McpJsonContext.Default.ResourceRequestParams, McpJsonContext.Default.ReadResourceResult, null, cancellationToken, uri);

    /// <summary>
    /// Subscribes to updates of a resource (<see cref="ResourceUpdated"/>): <c>resources/subscribe</c> in a session
    /// (renewed if the session is re-established); in revision 2026-07-28 the client's listen is renewed with the
    /// resource added, and this completes once the server acknowledged it.
    /// </summary>
    public async Task SubscribeAsync(string uri, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (_perRequest is null)
        {
            await SendSubscriptionAsync(McpMethods.ResourcesSubscribe, uri, cancellationToken).ConfigureAwait(false);
        }

        lock (_subscriptions)
        {
            _subscriptions.Add(uri);
        }

        if (_perRequest is not null)
        {
            await RelistenAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Ends a subscription.</summary>
    public async Task UnsubscribeAsync(string uri, CancellationToken cancellationToken = default)
    {
        lock (_subscriptions)
        {
            _subscriptions.Remove(uri);
        }

        if (_perRequest is not null)
        {
            await RelistenAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        await SendSubscriptionAsync(McpMethods.ResourcesUnsubscribe, uri, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One page of <c>prompts/list</c>.</summary>
    public Task<ListPromptsResult> ListPromptsAsync(string? cursor = null, CancellationToken cancellationToken = default) =>
        RequestAsync(McpMethods.PromptsList, new PaginatedRequestParams { Cursor = cursor }, McpJsonContext.Default.PaginatedRequestParams, McpJsonContext.Default.ListPromptsResult, null, cancellationToken, cursor ?? string.Empty);

    /// <summary>Every prompt, page after page.</summary>
    public IAsyncEnumerable<Prompt> EnumeratePromptsAsync(CancellationToken cancellationToken = default) =>
        EnumerateAsync(cursor => ListPromptsAsync(cursor, cancellationToken), r => r.Prompts, r => r.NextCursor, cancellationToken);

    /// <summary>Gets a prompt with its arguments filled in.</summary>
    public Task<GetPromptResult> GetPromptAsync(string name, IReadOnlyDictionary<string, string>? arguments = null, CancellationToken cancellationToken = default) =>
        RequestAsync("prompts/get", new GetPromptRequestParams { Name = name, Arguments = arguments is null ? null : new Dictionary<string, string>(arguments) }, McpJsonContext.Default.GetPromptRequestParams, McpJsonContext.Default.GetPromptResult, null, cancellationToken);

    /// <summary>Asks for completions of an argument of a prompt or resource template.</summary>
    public async Task<Completion> CompleteAsync(CompletionReference reference, string argumentName, string value, IReadOnlyDictionary<string, string>? context = null, CancellationToken cancellationToken = default)
    {
        var parameters = new CompleteRequestParams
        {
            Ref = reference,
            Argument = new CompletionArgument { Name = argumentName, Value = value },
            Context = context is null ? null : new CompletionContext { Arguments = new Dictionary<string, string>(context) },
        };
        var result = await RequestAsync("completion/complete", parameters, McpJsonContext.Default.CompleteRequestParams, McpJsonContext.Default.CompleteResult, null, cancellationToken).ConfigureAwait(false);
        return result.Completion;
    }

    /// <summary>
    /// Sets the lowest level of log messages the server sends: <c>logging/setLevel</c> in a session (renewed if the
    /// session is re-established); in revision 2026-07-28 every later request carries it in <c>_meta</c>.
    /// </summary>
    public async Task SetLoggingLevelAsync(LoggingLevel level, CancellationToken cancellationToken = default)
    {
        _logLevel = level;
        if (_perRequest is { } modern)
        {
            modern.Meta.LogLevel = level;
            return;
        }

        await RequestAsync("logging/setLevel", new SetLevelRequestParams { Level = level }, McpJsonContext.Default.SetLevelRequestParams, McpJsonContext.Default.EmptyResult, null, cancellationToken).ConfigureAwait(false);
    }

    private Task<EmptyResult> SendSubscriptionAsync(string method, string uri, CancellationToken cancellationToken) =>
        RequestAsync(method, new ResourceRequestParams { Uri = uri }, McpJsonContext.Default.ResourceRequestParams, McpJsonContext.Default.EmptyResult, null, cancellationToken);

    private static async IAsyncEnumerable<TItem> EnumerateAsync<TPage, TItem>(Func<string?, Task<TPage>> page, Func<TPage, IList<TItem>> items, Func<TPage, string?> next, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? cursor = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            var result = await page(cursor).ConfigureAwait(false);
            foreach (var item in items(result))
            {
                yield return item;
            }

            cursor = next(result);

            // A server that hands out the same cursor twice would loop forever: stop instead.
            if (cursor is not null && !seen.Add(cursor))
            {
                yield break;
            }
        }
        while (cursor is not null);
    }
}

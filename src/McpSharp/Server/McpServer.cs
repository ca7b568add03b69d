using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using McpSharp.JsonRpc;
using McpSharp.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpSharp.Server;

/// <summary>
/// An MCP server: the definition every client sees (info, instructions, capabilities) and the registries of tools,
/// resources, templates and prompts. Built once and shared by all sessions; registry changes are announced to every
/// initialized session with <c>notifications/*/list_changed</c>.
/// </summary>
public sealed partial class McpServer
{
    private readonly ConcurrentDictionary<McpSession, byte> _sessions = new();
    private ServerCapabilities? _capabilities;
    private ServerCapabilities? _perRequestCapabilities;
    private readonly Lock _taskStoreGate = new();
    private IMcpTaskStore? _taskStore;
    private RequestStateCodec? _requestStates;

    /// <summary>Creates a server.</summary>
    public McpServer(McpServerOptions? options = null, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        Options = options ?? new McpServerOptions();
        TimeProvider = timeProvider ?? TimeProvider.System;
        Metrics = Diagnostics.McpMetrics.From(Options.MeterFactory);
        Logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("McpSharp.Server");
        Shaper = new ResultShaper(Options);
        Tools.Changed += (_, _) => NotifyToolsListChanged();
        Prompts.Changed += (_, _) => NotifyPromptsListChanged();
        Resources.Changed += (_, _) => NotifyResourcesListChanged();
        ResourceTemplates.Changed += (_, _) => NotifyResourcesListChanged();
    }

    /// <summary>The options.</summary>
    public McpServerOptions Options { get; }

    /// <summary>The tools.</summary>
    public ToolRegistry Tools { get; } = new();

    /// <summary>The fixed-URI resources.</summary>
    public ResourceRegistry Resources { get; } = new();

    /// <summary>The resource templates.</summary>
    public ResourceTemplateRegistry ResourceTemplates { get; } = new();

    /// <summary>The prompts.</summary>
    public PromptRegistry Prompts { get; } = new();

    /// <summary>Answers <c>completion/complete</c>; when null the server does not declare completions.</summary>
    public McpCompletionHandler? CompletionHandler { get; set; }

    /// <summary>The live sessions.</summary>
    public IReadOnlyCollection<McpSession> Sessions => (IReadOnlyCollection<McpSession>)_sessions.Keys;

    /// <summary>
    /// Raised after this process announced a change to its clients (a <c>list_changed</c>, a <c>resources/updated</c>):
    /// a transport that serves the same server from several processes passes it on, and each of the others hands it to
    /// <see cref="Relay"/>.
    /// </summary>
    public event EventHandler<McpAnnouncement>? Announced;

    internal TimeProvider TimeProvider { get; }

    /// <summary>
    /// Where tasks are kept: <see cref="McpTaskOptions.Store"/>, or this server's own in-memory store. Its changes reach
    /// the listen streams that asked for them.
    /// </summary>
    internal IMcpTaskStore TaskStore => Volatile.Read(ref _taskStore) ?? CreateTaskStore();

    private IMcpTaskStore CreateTaskStore()
    {
        lock (_taskStoreGate)
        {
            if (_taskStore is null)
            {
                var store = Options.Tasks.Store ?? new InMemoryTaskStore(Options.Tasks.MaxTasks, TimeProvider);
                store.TaskChanged += (_, taskId) => Subscriptions.PublishTaskChanged(taskId, store);
                Volatile.Write(ref _taskStore, store);
            }

            return _taskStore;
        }
    }

    /// <summary>The duration histograms of this server's sessions (through <see cref="McpServerOptions.MeterFactory"/>).</summary>
    internal Diagnostics.McpMetrics Metrics { get; }

    internal ILogger Logger { get; }

    /// <summary>The capabilities of the handlers that exist now (what <c>server/discover</c> and 2026-07-28 requests see).</summary>
    internal ServerCapabilities Capabilities => Volatile.Read(ref _capabilities) ?? Interlocked.CompareExchange(ref _capabilities, BuildCapabilities(), null) ?? _capabilities!;

    /// <summary>
    /// What <c>server/discover</c> declares: <see cref="Capabilities"/>, and the tasks extension when a tool can run as a
    /// task (never the 2025 <c>tasks</c> capability, and never to a 2025 client's <c>initialize</c>).
    /// </summary>
    internal ServerCapabilities PerRequestCapabilities =>
        Volatile.Read(ref _perRequestCapabilities) ?? Interlocked.CompareExchange(ref _perRequestCapabilities, BuildPerRequestCapabilities(), null) ?? _perRequestCapabilities!;

    private ServerCapabilities BuildPerRequestCapabilities()
    {
        var capabilities = Capabilities;
        if (!Tools.Items.Any(static t => t.Definition.Execution?.TaskSupport is McpTasks.SupportOptional or McpTasks.SupportRequired))
        {
            return capabilities;
        }

        return new ServerCapabilities
        {
            Experimental = capabilities.Experimental,
            Logging = capabilities.Logging,
            Completions = capabilities.Completions,
            Tools = capabilities.Tools,
            Prompts = capabilities.Prompts,
            Resources = capabilities.Resources,
            Extensions = McpTasks.WithTasks(capabilities.Extensions),
        };
    }

    internal ResultShaper Shaper { get; }

    internal Subscriptions Subscriptions { get; } = new();

    internal RequestStateCodec RequestStates => Volatile.Read(ref _requestStates) ?? Interlocked.CompareExchange(ref _requestStates, CreateRequestStates(), null) ?? _requestStates!;

    /// <summary>Creates a session over <paramref name="transport"/>; call <see cref="McpSession.RunAsync"/> to serve it.</summary>
    public McpSession CreateSession(IMcpTransport transport, McpSessionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(transport);
        return new McpSession(this, transport, options ?? DefaultSessionOptions);
    }

    private static readonly McpSessionOptions DefaultSessionOptions = new();

    /// <summary>Serves one client over <paramref name="transport"/> until it disconnects.</summary>
    public async Task RunAsync(IMcpTransport transport, CancellationToken cancellationToken = default)
    {
        var session = CreateSession(transport);
        await using (session.ConfigureAwait(false))
        {
            await session.RunAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Sends <c>notifications/resources/updated</c> to every session subscribed to <paramref name="uri"/> (or to a
    /// resource that contains it). Sessions are notified independently: one slow client never delays the others.
    /// </summary>
    public ValueTask NotifyResourceUpdatedAsync(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var announcement = new McpAnnouncement(McpMethods.NotificationsResourcesUpdated, uri);
        Deliver(announcement, static _ => true);
        Announced?.Invoke(this, announcement);
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Delivers a change another process of this server announced (see <see cref="Announced"/>) to the clients here that
    /// can hear it: the 2026-07-28 listen streams, and the 2025 sessions <paramref name="deliverTo"/> picks (a transport
    /// picks the sessions it serves here; see <see cref="McpSessionOptions.Announce"/> for how each hears it once).
    /// </summary>
    public void Relay(McpAnnouncement announcement, Func<McpSession, bool> deliverTo)
    {
        ArgumentNullException.ThrowIfNull(announcement);
        ArgumentNullException.ThrowIfNull(deliverTo);
        if (announcement.Method != McpMethods.NotificationsResourcesUpdated)
        {
            ForgetCapabilities();
        }

        Deliver(announcement, deliverTo);
    }

    /// <summary>
    /// Announces <c>notifications/tools/list_changed</c> to every client that can hear it: initialized 2025 sessions and
    /// 2026-07-28 <c>subscriptions/listen</c> streams that opted in. Adding or removing a tool does this by itself; call it
    /// when what a client sees changed some other way (for example a tool's definition was replaced).
    /// </summary>
    public void NotifyToolsListChanged() => AnnounceListChanged(McpMethods.NotificationsToolsListChanged);

    /// <summary>Announces <c>notifications/prompts/list_changed</c> (see <see cref="NotifyToolsListChanged"/>).</summary>
    public void NotifyPromptsListChanged() => AnnounceListChanged(McpMethods.NotificationsPromptsListChanged);

    /// <summary>Announces <c>notifications/resources/list_changed</c> (see <see cref="NotifyToolsListChanged"/>).</summary>
    public void NotifyResourcesListChanged() => AnnounceListChanged(McpMethods.NotificationsResourcesListChanged);

    /// <summary>
    /// Ends every <c>subscriptions/listen</c> stream gracefully (each gets its closing result): for shutdown, before the
    /// transports close.
    /// </summary>
    public void CloseSubscriptions() => Subscriptions.CloseAll();

    /// <summary>The capabilities declared to a client that initializes now.</summary>
    internal ServerCapabilities BuildCapabilities()
    {
        var configured = Options.Capabilities;
        bool hasResources = Resources.Count > 0 || ResourceTemplates.Count > 0 || configured?.Resources is not null;
        return new ServerCapabilities
        {
            Experimental = configured?.Experimental,
            Logging = new JsonObject(),
            Completions = CompletionHandler is not null || configured?.Completions is not null ? new JsonObject() : null,
            Tools = Tools.Count > 0 || configured?.Tools is not null ? new ListChangedCapability { ListChanged = true } : null,
            Prompts = Prompts.Count > 0 || configured?.Prompts is not null ? new ListChangedCapability { ListChanged = true } : null,
            Resources = hasResources ? new ResourcesCapability { Subscribe = true, ListChanged = true } : null,
        };
    }

    internal void Attach(McpSession session) => _sessions.TryAdd(session, 0);

    internal void Detach(McpSession session) => _sessions.TryRemove(session, out _);

    // Both views are rebuilt from what exists when next asked for.
    private void ForgetCapabilities()
    {
        Volatile.Write(ref _capabilities, null);
        Volatile.Write(ref _perRequestCapabilities, null);
    }

    private void AnnounceListChanged(string method)
    {
        // What exists changed: so may the capabilities a 2026-07-28 request sees.
        ForgetCapabilities();
        var announcement = new McpAnnouncement(method, null);
        Deliver(announcement, static _ => true);
        Announced?.Invoke(this, announcement);
    }

    // To every initialized session that can hear it (declared the list, subscribed to the resource) and deliverTo picks,
    // and to the listen streams that opted in. Sessions are notified independently: one slow client never delays others.
    private void Deliver(McpAnnouncement announcement, Func<McpSession, bool> deliverTo)
    {
        string method = announcement.Method;
        var payload = announcement.Uri is { } uri
            ? JsonPayload.FromValue(new ResourceUpdatedNotificationParams { Uri = uri }, McpJsonContext.Default.ResourceUpdatedNotificationParams)
            : JsonPayload.None;
        foreach (var session in _sessions.Keys)
        {
            if (session.IsInitialized && CanHear(session, announcement) && deliverTo(session))
            {
                _ = session.TryAnnounceAsync(announcement, payload).AsTask();
            }
        }

        if (announcement.Uri is { } updated)
        {
            Subscriptions.PublishResourceUpdated(updated);
        }
        else
        {
            Subscriptions.PublishListChanged(method);
        }
    }

    private static bool CanHear(McpSession session, McpAnnouncement announcement) => announcement.Method switch
    {
        McpMethods.NotificationsToolsListChanged => session.ServerCapabilities?.Tools is not null,
        McpMethods.NotificationsPromptsListChanged => session.ServerCapabilities?.Prompts is not null,
        McpMethods.NotificationsResourcesListChanged => session.ServerCapabilities?.Resources is not null,
        McpMethods.NotificationsResourcesUpdated => session.IsSubscribed(announcement.Uri!),
        _ => false,
    };

    private RequestStateCodec CreateRequestStates()
    {
        var settings = Options.RequestState;
        var protector = settings.Protector ?? (settings.Key is { } key ? new HmacRequestStateProtector(key) : HmacRequestStateProtector.CreateRandom());
        return new RequestStateCodec(protector, TimeProvider, settings.Lifetime);
    }
}

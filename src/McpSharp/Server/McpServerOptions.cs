using McpSharp.JsonRpc;
using McpSharp.Protocol;

namespace McpSharp.Server;

/// <summary>What every client of a server sees, and the limits of each session. Defaults are safe.</summary>
public sealed class McpServerOptions
{
    /// <summary>The server's name and version, sent in the <c>initialize</c> result.</summary>
    public Implementation ServerInfo { get; set; } = new() { Name = "mcpsharp-server", Version = "1.0.0" };

    /// <summary>Instructions for the model on how to use this server.</summary>
    public string? Instructions { get; set; }

    /// <summary>Items per page of every list result (default 100).</summary>
    public int PageSize { get; set; } = 100;

    /// <summary>
    /// Capabilities to declare regardless of what is registered (for example <c>tools</c> on a server that adds
    /// tools only later). Capabilities of registered features are added automatically.
    /// </summary>
    public ServerCapabilities? Capabilities { get; set; }

    /// <summary>
    /// When a tool throws, whether its result's error text includes the exception message (default true). Stack traces
    /// are never sent.
    /// </summary>
    public bool IncludeExceptionMessages { get; set; } = true;

    /// <summary>
    /// Makes the meter (<see cref="Diagnostics.McpDiagnostics.MeterName"/>) of the MCP duration histograms, so that each
    /// host's measurements are its own; the hosting extensions set the container's. Null (default): one process-wide meter.
    /// </summary>
    public System.Diagnostics.Metrics.IMeterFactory? MeterFactory { get; set; }

    /// <summary>Limits and timeouts of each session's JSON-RPC connection.</summary>
    public JsonRpcOptions JsonRpc { get; set; } = new();

    /// <summary>
    /// Whether results of 2026-07-28 requests name the server in <c>_meta["io.modelcontextprotocol/serverInfo"]</c>
    /// (default true, M26-META-SERVERINFO).
    /// </summary>
    public bool IncludeServerInfoInResults { get; set; } = true;

    /// <summary>The cache hints of 2026-07-28 results (<c>ttlMs</c>, <c>cacheScope</c>).</summary>
    public McpCachingOptions Caching { get; set; } = new();

    /// <summary>How the <c>requestState</c> of multi round-trip requests (2026-07-28) is protected and how long it lives.</summary>
    public McpRequestStateOptions RequestState { get; set; } = new();

    /// <summary>How tool calls that run as tasks (the tasks extension, 2026-07-28) are kept.</summary>
    public McpTaskOptions Tasks { get; set; } = new();

    /// <summary>
    /// Who may see and use which tool, resource and prompt (null, the default: everyone, everything). Lists then vary
    /// with the caller, so with a filter their 2026-07-28 results (and those of <c>resources/read</c>) are always <c>cacheScope: "private"</c>
    /// (M26-CACHE-NO-AUTHZ), whatever <see cref="McpCachingOptions.Scope"/> says. On HTTP,
    /// <c>WithAuthorization</c> sets one from its per-primitive scopes.
    /// </summary>
    public McpAccessFilter? AccessFilter { get; set; }
}

/// <summary>
/// Tasks (<c>io.modelcontextprotocol/tasks</c>): how long a task and its result are kept, the poll interval suggested
/// to clients, how many are kept at once, and where.
/// </summary>
public sealed class McpTaskOptions
{
    /// <summary>
    /// How long after its creation a task is kept (default 1 hour); a task still running then is cancelled. Its
    /// <c>ttlMs</c> says so to the client.
    /// </summary>
    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The <c>pollIntervalMs</c> suggested to clients (default 1 second).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How many tasks the default store keeps (default 10,000; a <see cref="Store"/> set here has its own limit). At the
    /// limit, the task that finished first makes room; when every task is still running, a call that would start one
    /// more is refused (-32603) rather than evicting work.
    /// </summary>
    public int MaxTasks { get; set; } = 10_000;

    /// <summary>
    /// Where tasks are kept (default null: an <see cref="InMemoryTaskStore"/> of this server's own). A store shared by
    /// several nodes (<c>WithRedis</c> sets one) lets any node answer <c>tasks/get</c>, <c>tasks/update</c> and
    /// <c>tasks/cancel</c> for a task that runs on another.
    /// </summary>
    public IMcpTaskStore? Store { get; set; }

    /// <summary>
    /// How many tasks one <c>subscriptions/listen</c> may follow with <c>notifications/tasks</c> (default 100); the
    /// acknowledgement lists those it does.
    /// </summary>
    public int MaxTasksPerListen { get; set; } = 100;
}

/// <summary>
/// The cache hints a server puts on the complete results of <c>server/discover</c>, the lists and
/// <c>resources/read</c> for 2026-07-28 clients (M26-CACHE-HINTS). The defaults promise nothing: a time to live of 0
/// (re-fetch when needed; <c>list_changed</c> on <c>subscriptions/listen</c> tells when) and private scope (no
/// sharing across authorization contexts). Raise them when the lists are the same for everyone and change rarely.
/// </summary>
public sealed class McpCachingOptions
{
    /// <summary>For <c>tools/list</c>, <c>prompts/list</c>, <c>resources/list</c> and <c>resources/templates/list</c> (default 0).</summary>
    public TimeSpan ListTimeToLive { get; set; }

    /// <summary>For <c>resources/read</c> (default 0).</summary>
    public TimeSpan ResourceTimeToLive { get; set; }

    /// <summary>For <c>server/discover</c> (default 0).</summary>
    public TimeSpan DiscoverTimeToLive { get; set; }

    /// <summary>Who may share a cached result (default private); the same for every page of a list (M26-CACHE-PAGES).</summary>
    public CacheScope Scope { get; set; } = CacheScope.Private;
}

/// <summary>
/// The protection of <c>requestState</c> (M26-MRTR-STATE-SECURITY): it is sealed with an HMAC-SHA256 key and bound to
/// the method, a digest of the request's parameters, the authenticated principal and an expiry, so a client can neither
/// forge it nor replay it on another request, user or after it lapsed.
/// </summary>
public sealed class McpRequestStateOptions
{
    /// <summary>
    /// The HMAC key (at least 32 bytes). Every server process that may receive a retry must share it; without one, each
    /// process makes a random key, and a retry that lands on another process is refused. Ignored when
    /// <see cref="Protector"/> is set.
    /// </summary>
    public byte[]? Key { get; set; }

    /// <summary>A protector of your own (for example ASP.NET Core Data Protection); null uses HMAC with <see cref="Key"/>.</summary>
    public IRequestStateProtector? Protector { get; set; }

    /// <summary>How long a <c>requestState</c> is accepted after it was issued (default 10 minutes: time for a person to answer).</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromMinutes(10);
}

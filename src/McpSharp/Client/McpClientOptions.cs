using McpSharp.JsonRpc;
using McpSharp.Protocol;

namespace McpSharp.Client;

/// <summary>Answers <c>sampling/createMessage</c>: run the model (with a human in the loop) and return its message.</summary>
public delegate ValueTask<CreateMessageResult> McpSamplingHandler(CreateMessageRequestParams request, CancellationToken cancellationToken);

/// <summary>Answers <c>elicitation/create</c>: ask the user (form mode) or have them visit a URL (URL mode).</summary>
public delegate ValueTask<ElicitResult> McpElicitationHandler(ElicitRequestParams request, CancellationToken cancellationToken);

/// <summary>Options of an <see cref="McpClient"/>. The capabilities declared follow from the handlers set here.</summary>
public sealed class McpClientOptions
{
    /// <summary>The client's name and version, sent in <c>initialize</c>.</summary>
    public Implementation ClientInfo { get; set; } = new() { Name = "mcpsharp-client", Version = "1.0.0" };

    /// <summary>
    /// Which era to speak (default <see cref="Client.ProtocolMode.Auto"/>: revision 2026-07-28 when the server does, else
    /// <c>initialize</c> and a session). A <see cref="ProtocolVersion"/> pins the era and disables the probe.
    /// </summary>
    public ProtocolMode ProtocolMode { get; set; }

    /// <summary>
    /// A protocol version to speak, or null for the latest of the era chosen: a per-request version (2026-07-28) is sent
    /// with every request; a handshake version (2025-11-25 and earlier) is requested in <c>initialize</c>.
    /// </summary>
    public string? ProtocolVersion { get; set; }

    /// <summary>
    /// How long the <c>server/discover</c> probe may take before the client falls back to <c>initialize</c> (default
    /// 10 s). A client set to per-request revisions only (<see cref="ProtocolMode.Modern"/>, or a pinned per-request
    /// version) has nothing to fall back to: its probe waits as long as any request, and a timeout is reported as one.
    /// </summary>
    public TimeSpan DiscoverTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Remembers handshake-only servers between connections, so they are not probed again (default none).</summary>
    public McpEraCache? EraCache { get; set; }

    /// <summary>
    /// In revision 2026-07-28, how many times one request may be answered with <c>input_required</c> and retried with the
    /// answers before the client gives up (default 10).
    /// </summary>
    public int MaxInputRounds { get; set; } = 10;

    /// <summary>
    /// In revision 2026-07-28, whether requests declare the tasks extension (<c>io.modelcontextprotocol/tasks</c>;
    /// default true). A <c>tools/call</c> the server answers with a task is then followed to its end by
    /// <see cref="McpClient.CallToolAsync"/>: polled with <c>tasks/get</c> at the interval the server suggests, its input
    /// requests answered with the same handlers as an <c>input_required</c> result (through <c>tasks/update</c>),
    /// cancelled with <c>tasks/cancel</c> when the caller cancels; the call returns the task's result, throws its error,
    /// and needs no connection held open meanwhile. False: servers run such tools as ordinary calls, or refuse those that
    /// run only as tasks (-32021).
    /// </summary>
    public bool UseTasks { get; set; } = true;

    /// <summary>
    /// In revision 2026-07-28, keep a <c>subscriptions/listen</c> open for the list changes the server declares and the
    /// resources subscribed to, so <see cref="McpClient.ListChanged"/> and <see cref="McpClient.ResourceUpdated"/> work as
    /// in a session (default true).
    /// </summary>
    public bool ListenForChanges { get; set; } = true;

    /// <summary>How many listens in a row may end unacknowledged before listening stops (default 5).</summary>
    public int MaxListenAttempts { get; set; } = 5;

    /// <summary>The wait before listening again after a listen ended (default 1 s), doubled per failed attempt up to 30 s.</summary>
    public TimeSpan ListenRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Answers sampling requests; when set, the client declares <c>sampling</c>.</summary>
    public McpSamplingHandler? SamplingHandler { get; set; }

    /// <summary>When true (and a sampling handler is set), the client declares <c>sampling.tools</c>.</summary>
    public bool SamplingSupportsTools { get; set; }

    /// <summary>Answers elicitation requests; when set, the client declares <c>elicitation</c> with the modes below.</summary>
    public McpElicitationHandler? ElicitationHandler { get; set; }

    /// <summary>Declare form-mode elicitation (default true when a handler is set).</summary>
    public bool ElicitationSupportsForm { get; set; } = true;

    /// <summary>Declare URL-mode elicitation (default false).</summary>
    public bool ElicitationSupportsUrl { get; set; }

    /// <summary>
    /// When true, in form mode the answer of an accepted elicitation gets the schema's <c>default</c> for every property
    /// the handler left out (SEP-1034, ELIC-DEFAULTS). Default true.
    /// </summary>
    public bool ApplyElicitationDefaults { get; set; } = true;

    /// <summary>The roots offered to the server; when set (even empty), the client declares <c>roots</c> with list changes.</summary>
    public IList<Root>? Roots { get; set; }

    /// <summary>Capabilities to declare in addition (e.g. <c>experimental</c>).</summary>
    public ClientCapabilities? Capabilities { get; set; }

    /// <summary>How long <c>initialize</c> may take (default 60 s).</summary>
    public TimeSpan InitializeTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Makes the meter (<see cref="Diagnostics.McpDiagnostics.MeterName"/>) of the MCP duration histograms, so that each
    /// host's measurements are its own; the hosting extensions set the container's. Null (default): one process-wide meter.
    /// </summary>
    public System.Diagnostics.Metrics.IMeterFactory? MeterFactory { get; set; }

    /// <summary>Limits and the default timeout of requests (default 60 s).</summary>
    public JsonRpcOptions JsonRpc { get; set; } = new();

    /// <summary>
    /// How many new sessions the client starts within <see cref="SessionRecoveryWindow"/> after the server forgot one
    /// (HTTP 404); beyond that a request that meets a 404 fails instead of creating another session (default 3).
    /// </summary>
    public int MaxSessionRecoveries { get; set; } = 3;

    /// <summary>The window <see cref="MaxSessionRecoveries"/> counts in (default 1 minute).</summary>
    public TimeSpan SessionRecoveryWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The wait before the second new session within the window, doubled for each further one (default 1 s); the first
    /// starts at once.
    /// </summary>
    public TimeSpan SessionRecoveryBackoff { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>The session was re-established after the server forgot it (HTTP 404): a fresh <c>initialize</c> ran.</summary>
public sealed class SessionReestablishedEventArgs(string? previousSessionId, string? sessionId, InitializeResult result) : EventArgs
{
    /// <summary>The id the server no longer knew.</summary>
    public string? PreviousSessionId { get; } = previousSessionId;

    /// <summary>The new session's id.</summary>
    public string? SessionId { get; } = sessionId;

    /// <summary>The new <c>initialize</c> result.</summary>
    public InitializeResult Result { get; } = result;
}

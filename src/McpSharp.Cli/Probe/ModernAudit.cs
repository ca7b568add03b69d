namespace McpSharp.Cli.Probe;

/// <summary>
/// Revision 2026-07-28 on the same endpoint: <c>server/discover</c> answered; every request's <c>_meta</c> and
/// <c>Mcp-Method</c> and <c>Mcp-Name</c> headers checked (400); the removed methods unknown (404); no session methods (GET and DELETE get
/// 405). A server that does not speak the revision gets its rows skipped, not failed.
/// </summary>
internal sealed class ModernAudit(ProbeHttp http, List<ProbeRow> rows)
{
    private const string Version = "2026-07-28";
    private const string Meta = "\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\",\"io.modelcontextprotocol/clientCapabilities\":{},"
        + "\"io.modelcontextprotocol/clientInfo\":{\"name\":\"mcpsharp-probe\",\"version\":\"1\"}";
    private const string Discover = """{"jsonrpc":"2.0","id":1,"method":"server/discover","params":{"_meta":{""" + Meta + "}}}";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var discover = await PostAsync("server/discover", Discover, cancellationToken).ConfigureAwait(false);
        if (discover.Status != 200 || !discover.Body.Contains("\"supportedVersions\"", StringComparison.Ordinal))
        {
            rows.Add(new ProbeRow("M26-DISCOVER-REQUIRED", RuleLevel.Must, "server/discover answers (2026-07-28)", "200, supportedVersions", discover.Summary + " (the server does not speak 2026-07-28)", Verdict.Skip));
            return;
        }

        rows.Add(new ProbeRow("M26-DISCOVER-REQUIRED", RuleLevel.Must, "server/discover answers (2026-07-28)", "200, supportedVersions", discover.Summary, Verdict.Pass));
        rows.Add(Expect("M26-META-PROTOCOLVERSION", RuleLevel.Must, "a request without _meta's protocol version", 400,
            await PostAsync("server/discover", """{"jsonrpc":"2.0","id":2,"method":"server/discover","params":{"_meta":{"io.modelcontextprotocol/clientCapabilities":{}}}}""", cancellationToken).ConfigureAwait(false)));
        rows.Add(Expect("M26-META-CLIENTCAPS", RuleLevel.Must, "a request without _meta's client capabilities", 400,
            await PostAsync("server/discover", """{"jsonrpc":"2.0","id":3,"method":"server/discover","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}}""", cancellationToken).ConfigureAwait(false)));
        rows.Add(Expect("M26-HTTP-MCP-METHOD", RuleLevel.Must, "a request without the Mcp-Method header", 400,
            await PostAsync(null, Discover, cancellationToken).ConfigureAwait(false)));
        rows.Add(Expect("M26-HTTP-MCP-METHOD", RuleLevel.Must, "an Mcp-Method header that is not the body's method", 400,
            await PostAsync("tools/list", Discover, cancellationToken).ConfigureAwait(false)));
        rows.Add(Expect("M26-HTTP-MCP-NAME", RuleLevel.Must, "an Mcp-Name header that is not the tool's name", 400,
            await http.SendAsync(HttpMethod.Post, """{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"mcpsharp-probe-tool","arguments":{},"_meta":{""" + Meta + "}}}", protocolVersion: Version,
                adjust: r =>
                {
                    r.Headers.TryAddWithoutValidation("Mcp-Method", "tools/call");
                    r.Headers.TryAddWithoutValidation("Mcp-Name", "mcpsharp-probe-other");
                }, cancellationToken: cancellationToken).ConfigureAwait(false)));
        rows.Add(Expect("M26-HTTP-404", RuleLevel.Must, "a method removed in 2026-07-28 (ping)", 404,
            await PostAsync("ping", """{"jsonrpc":"2.0","id":4,"method":"ping","params":{"_meta":{""" + Meta + "}}}", cancellationToken).ConfigureAwait(false)));
        var get = await http.SendAsync(HttpMethod.Get, protocolVersion: Version, accept: "text/event-stream", readBody: false, cancellationToken: cancellationToken).ConfigureAwait(false);
        rows.Add(Row("M26-HTTP-GET-DELETE", "GET in 2026-07-28 (no sessions)", get));
        var delete = await http.SendAsync(HttpMethod.Delete, protocolVersion: Version, accept: null, cancellationToken: cancellationToken).ConfigureAwait(false);
        rows.Add(Row("M26-HTTP-GET-DELETE", "DELETE in 2026-07-28 (no sessions)", delete));
    }

    private Task<ProbeAnswer> PostAsync(string? method, string body, CancellationToken cancellationToken) =>
        http.SendAsync(HttpMethod.Post, body, protocolVersion: Version, adjust: method is null ? null : r => r.Headers.TryAddWithoutValidation("Mcp-Method", method), cancellationToken: cancellationToken);

    private static ProbeRow Row(string id, string rule, ProbeAnswer answer) => Expect(id, RuleLevel.Should, rule, 405, answer);

    private static ProbeRow Expect(string id, RuleLevel level, string rule, int status, ProbeAnswer answer) =>
        new(id, level, rule, status.ToString(System.Globalization.CultureInfo.InvariantCulture), answer.Summary, answer.Status == status ? Verdict.Pass : Verdict.Fail);
}

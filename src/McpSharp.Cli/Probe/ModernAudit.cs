namespace McpSharp.Cli.Probe;

/// <summary>
/// Revision 2026-07-28 on the same endpoint: <c>server/discover</c> answered, and no session methods (GET and DELETE
/// get 405). A server that does not speak the revision gets its rows skipped, not failed.
/// </summary>
internal sealed class ModernAudit(ProbeHttp http, List<ProbeRow> rows)
{
    private const string Version = "2026-07-28";
    private const string Discover = """{"jsonrpc":"2.0","id":1,"method":"server/discover","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{},"io.modelcontextprotocol/clientInfo":{"name":"mcpsharp-probe","version":"1"}}}}""";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var discover = await http.SendAsync(HttpMethod.Post, Discover, protocolVersion: Version, adjust: r => r.Headers.TryAddWithoutValidation("Mcp-Method", "server/discover"), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (discover.Status != 200 || !discover.Body.Contains("\"supportedVersions\"", StringComparison.Ordinal))
        {
            rows.Add(new ProbeRow("M26-DISCOVER-REQUIRED", RuleLevel.Must, "server/discover answers (2026-07-28)", "200, supportedVersions", discover.Summary + " (the server does not speak 2026-07-28)", Verdict.Skip));
            return;
        }

        rows.Add(new ProbeRow("M26-DISCOVER-REQUIRED", RuleLevel.Must, "server/discover answers (2026-07-28)", "200, supportedVersions", discover.Summary, Verdict.Pass));
        var get = await http.SendAsync(HttpMethod.Get, protocolVersion: Version, accept: "text/event-stream", readBody: false, cancellationToken: cancellationToken).ConfigureAwait(false);
        rows.Add(Row("M26-HTTP-GET-DELETE", "GET in 2026-07-28 (no sessions)", get));
        var delete = await http.SendAsync(HttpMethod.Delete, protocolVersion: Version, accept: null, cancellationToken: cancellationToken).ConfigureAwait(false);
        rows.Add(Row("M26-HTTP-GET-DELETE", "DELETE in 2026-07-28 (no sessions)", delete));
    }

    private static ProbeRow Row(string id, string rule, ProbeAnswer answer) =>
        new(id, RuleLevel.Should, rule, "405", answer.Summary, answer.Status == 405 ? Verdict.Pass : Verdict.Fail);
}

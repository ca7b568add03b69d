namespace McpSharp.Cli.Probe;

/// <summary>
/// The 2025-11-25 Streamable HTTP session rules (the HTTP test table, T01-T33), in the order a session lives: created,
/// used, asked about with wrong or missing ids and headers, deleted, asked about again, and started over. It deletes
/// only the sessions it made.
/// </summary>
internal sealed class SessionAudit(ProbeHttp http, List<ProbeRow> rows)
{
    private const string Version = "2025-11-25";
    private const string Initialize = """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"mcpsharp-probe","version":"1"}}}""";
    private const string Initialized = """{"jsonrpc":"2.0","method":"notifications/initialized"}""";
    private const string Ping = """{"jsonrpc":"2.0","id":2,"method":"ping"}""";
    private const string Unknown = "mcpsharp-probe-no-such-session";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var init = await http.SendAsync(HttpMethod.Post, Initialize, cancellationToken: cancellationToken).ConfigureAwait(false);
        bool ok = init.Status == 200 && init.Body.Contains("\"result\"", StringComparison.Ordinal);
        Add("T01 HTTP-SESS-ASSIGN", RuleLevel.Must, "initialize answers 200 with a result", "200", init, ok);
        if (!ok)
        {
            return;
        }

        string? session = init.SessionId;
        if (session is null)
        {
            rows.Add(new ProbeRow("T01 HTTP-SESS-ASSIGN", RuleLevel.Should, "initialize assigns a session id", "MCP-Session-Id", "none (a stateless server)", Verdict.Skip));
            return;
        }

        bool visible = session.Length > 0 && session.All(c => c is >= '!' and <= '~');
        rows.Add(new ProbeRow("T02 HTTP-SESS-ASCII", RuleLevel.Must, "the session id is visible ASCII", "0x21-0x7E only", session, visible ? Verdict.Pass : Verdict.Fail));
        var initialized = await Post(Initialized, session, cancellationToken).ConfigureAwait(false);
        Add("T03 HTTP-POST-202", RuleLevel.Must, "a notification gets 202 and no body", "202, empty", initialized, initialized.Status == 202 && initialized.Body.Length == 0);
        Expect(await Post(Ping, session, cancellationToken).ConfigureAwait(false), "T04", RuleLevel.Must, "a request in the session is answered", 200);
        await new StreamAudit(http, rows).RunAsync(session, Ping, cancellationToken).ConfigureAwait(false);

        // Wrong, missing and unsupported: the session must be unharmed by all of it.
        Expect(await Post(Ping, null, cancellationToken).ConfigureAwait(false), "T05 HTTP-SESS-MISSING-400", RuleLevel.Should, "a request without a session id", 400);
        Expect(await Post(Initialized, null, cancellationToken).ConfigureAwait(false), "T06 HTTP-SESS-MISSING-400", RuleLevel.Should, "a notification without a session id", 400);
        Expect(await Post(Ping, Unknown, cancellationToken).ConfigureAwait(false), "T07 HTTP-SESS-404", RuleLevel.Must, "POST with an unknown session id", 404);
        Expect(await Get(Unknown, cancellationToken).ConfigureAwait(false), "T08 HTTP-SESS-404", RuleLevel.Must, "GET with an unknown session id", 404);
        Expect(await Delete(Unknown, cancellationToken).ConfigureAwait(false), "T09 HTTP-SESS-404", RuleLevel.Must, "DELETE of an unknown session", 404);
        Expect(await Delete(null, cancellationToken).ConfigureAwait(false), "T14 HTTP-SESS-MISSING-400", RuleLevel.Should, "DELETE without a session id", 400);
        Expect(await Get(null, cancellationToken).ConfigureAwait(false), "T15 HTTP-SESS-MISSING-400", RuleLevel.Should, "GET without a session id", 400);
        Expect(await http.SendAsync(HttpMethod.Post, Ping, session, "1999-01-01", cancellationToken: cancellationToken).ConfigureAwait(false), "T19 HTTP-PV-400", RuleLevel.Must, "an unsupported MCP-Protocol-Version", 400);
        Expect(await http.SendAsync(HttpMethod.Post, Ping, session, "abc", cancellationToken: cancellationToken).ConfigureAwait(false), "T20 HTTP-PV-400", RuleLevel.Must, "a malformed MCP-Protocol-Version", 400);
        Expect(await http.SendAsync(HttpMethod.Post, Ping, session, Version, adjust: r => r.Headers.TryAddWithoutValidation("Origin", "http://evil.example"), cancellationToken: cancellationToken).ConfigureAwait(false),
            "T23 HTTP-ORIGIN-403", RuleLevel.Must, "a foreign Origin", 403);
        Expect(await http.SendAsync(HttpMethod.Post, Ping, session, Version, adjust: r => r.Headers.Host = "attacker.example", cancellationToken: cancellationToken).ConfigureAwait(false),
            "T24 HTTP-HOST-CHECK", RuleLevel.Practice, "a foreign Host (DNS rebinding)", 403);
        Expect(await http.SendAsync(HttpMethod.Post, Ping, session, Version, accept: "application/json", cancellationToken: cancellationToken).ConfigureAwait(false),
            "T25 HTTP-POST-ACCEPT", RuleLevel.Practice, "POST that does not accept SSE", 406);
        Expect(await http.SendAsync(HttpMethod.Post, Ping, session, Version, contentType: "text/plain", cancellationToken: cancellationToken).ConfigureAwait(false),
            "T27 HTTP-POST-CT-IN", RuleLevel.Practice, "POST that is not application/json", 415);
        Expect(await Post(Initialize, session, cancellationToken).ConfigureAwait(false), "T17", RuleLevel.Practice, "initialize again inside the session", 400);
        Expect(await http.SendAsync(HttpMethod.Post, Ping, session, cancellationToken: cancellationToken).ConfigureAwait(false), "T21 HTTP-PV-DEFAULT", RuleLevel.Should, "a request without MCP-Protocol-Version", 200);
        Expect(await http.SendAsync(HttpMethod.Get, null, session, Version, accept: "application/json", readBody: false, cancellationToken: cancellationToken).ConfigureAwait(false),
            "T26 HTTP-GET-ACCEPT", RuleLevel.Practice, "GET that does not accept SSE", 406);
        Expect(await Post("{not json", session, cancellationToken).ConfigureAwait(false), "T28 HTTP-POST-REJECT", RuleLevel.Must, "malformed JSON", 400);
        Expect(await Post("""{"jsonrpc":"2.0","id":null,"method":"ping"}""", session, cancellationToken).ConfigureAwait(false), "T29 BASE-REQ-ID-NOTNULL", RuleLevel.Must, "a request whose id is null", 400);
        var response = await Post("""{"jsonrpc":"2.0","id":"mcpsharp-probe-1","result":{}}""", session, cancellationToken).ConfigureAwait(false);
        Add("T31 HTTP-POST-202", RuleLevel.Must, "a response from the client is accepted", "202, empty", response, response.Status == 202 && response.Body.Length == 0);
        Expect(await Post($"[{Ping}]", session, cancellationToken).ConfigureAwait(false), "T30 HTTP-POST-SINGLE", RuleLevel.Must, "a batch in 2025-11-25", 400);
        Expect(await http.SendAsync(HttpMethod.Put, Ping, session, Version, cancellationToken: cancellationToken).ConfigureAwait(false), "T33", RuleLevel.Practice, "an HTTP method MCP does not use", 405);
        Expect(await Post(Ping, session, cancellationToken).ConfigureAwait(false), "T04", RuleLevel.Must, "the session still works after all that", 200);

        // Deleted: every later use of the id is 404, and a new initialize starts over (HTTP-SESS-REINIT).
        var deleted = await Delete(session, cancellationToken).ConfigureAwait(false);
        Add("T10", RuleLevel.Must, "DELETE of the session", "2xx or 405", deleted, deleted.Status is >= 200 and < 300 or 405);
        if (deleted.Status == 405)
        {
            return;
        }

        Expect(await Post(Ping, session, cancellationToken).ConfigureAwait(false), "T11 HTTP-SESS-404", RuleLevel.Must, "POST after DELETE", 404);
        Expect(await Get(session, cancellationToken).ConfigureAwait(false), "T12 HTTP-SESS-404", RuleLevel.Must, "GET after DELETE", 404);
        Expect(await Delete(session, cancellationToken).ConfigureAwait(false), "T13 HTTP-SESS-404", RuleLevel.Must, "DELETE twice", 404);
        var stale = await http.SendAsync(HttpMethod.Post, Initialize, session, cancellationToken: cancellationToken).ConfigureAwait(false);
        Add("T18", RuleLevel.Practice, "initialize carrying a stale session id", "200 (new session), 400 or 404", stale, stale.Status is 200 or 400 or 404);
        if (stale.Status == 200 && stale.SessionId is { } other && other != session)
        {
            await Delete(other, cancellationToken).ConfigureAwait(false);
        }

        var again = await http.SendAsync(HttpMethod.Post, Initialize, cancellationToken: cancellationToken).ConfigureAwait(false);
        Add("HTTP-SESS-REINIT", RuleLevel.Must, "after a 404, a new initialize starts a new session", "200, a new id", again, again.Status == 200 && again.SessionId is { } fresh && fresh != session);
        if (again.SessionId is { } made)
        {
            await Delete(made, cancellationToken).ConfigureAwait(false);
        }
    }

    private Task<ProbeAnswer> Post(string body, string? session, CancellationToken cancellationToken) =>
        http.SendAsync(HttpMethod.Post, body, session, Version, cancellationToken: cancellationToken);

    private Task<ProbeAnswer> Get(string? session, CancellationToken cancellationToken) =>
        http.SendAsync(HttpMethod.Get, null, session, Version, accept: "text/event-stream", readBody: false, cancellationToken: cancellationToken);

    private Task<ProbeAnswer> Delete(string? session, CancellationToken cancellationToken) =>
        http.SendAsync(HttpMethod.Delete, null, session, Version, accept: null, cancellationToken: cancellationToken);

    private void Expect(ProbeAnswer answer, string id, RuleLevel level, string rule, int status) => rows.Add(ProbeRow.Expect(id, level, rule, status, answer));

    private void Add(string id, RuleLevel level, string rule, string expected, ProbeAnswer answer, bool passed) => rows.Add(ProbeRow.Check(id, level, rule, expected, answer, passed));
}

namespace McpSharp.Cli.Probe;

/// <summary>
/// The SSE rules of a 2025 session (T36-T38): a POST answered as a stream starts with a priming event (an id and empty
/// data, SSE-PRIME), and the stream can be resumed by GET with that id (its answer replayed), while an id the server
/// never gave is refused. A server that answers JSON, or sends no event ids (streams not resumable), has them skipped.
/// </summary>
internal sealed class StreamAudit(ProbeHttp http, List<ProbeRow> rows)
{
    private const string Version = "2025-11-25";

    public async Task RunAsync(string session, string request, CancellationToken cancellationToken)
    {
        var answer = await http.SendAsync(HttpMethod.Post, request, session, Version, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (answer.ContentType != "text/event-stream")
        {
            rows.Add(new ProbeRow("T36 SSE-PRIME", RuleLevel.Should, "a streamed answer starts with a priming event", "id and empty data first", $"{answer.Summary} {answer.ContentType ?? "no body"} (not a stream)", Verdict.Skip));
            return;
        }

        // Priming is asked of servers that make streams resumable (SSE-RESUMABLE is a MAY): no event id at all is a
        // server that does not, and the resumption rows do not apply to it.
        var first = FirstEvent(answer.Body);
        if (first.Id is null)
        {
            rows.Add(new ProbeRow("T36 SSE-PRIME", RuleLevel.Should, "a streamed answer starts with a priming event", "id and empty data first", "no event ids (streams not resumable)", Verdict.Skip));
            return;
        }

        bool primed = first.Data.Length == 0;
        rows.Add(new ProbeRow("T36 SSE-PRIME", RuleLevel.Should, "a streamed answer starts with a priming event", "id and empty data first",
            primed ? $"id {first.Id}{(first.Retry is null ? "" : ", retry " + first.Retry)}" : "the first event has data", primed ? Verdict.Pass : Verdict.Fail));
        if (!primed)
        {
            return;
        }

        var resumed = await http.SendAsync(HttpMethod.Get, null, session, Version, accept: "text/event-stream",
            adjust: r => r.Headers.TryAddWithoutValidation("Last-Event-ID", first.Id), cancellationToken: cancellationToken).ConfigureAwait(false);
        bool replayed = resumed.Status == 200 && resumed.Body.Contains("\"id\":2", StringComparison.Ordinal);
        rows.Add(new ProbeRow("T37 HTTP-RESUME-REPLAY", RuleLevel.Should, "GET with the priming id replays the answer", "200, the response again",
            resumed.Summary + (replayed ? ", replayed" : resumed.Status == 200 ? ", nothing replayed" : ""), replayed ? Verdict.Pass : Verdict.Fail));
        var bogus = await http.SendAsync(HttpMethod.Get, null, session, Version, accept: "text/event-stream",
            adjust: r => r.Headers.TryAddWithoutValidation("Last-Event-ID", "mcpsharp-probe-never-given"), readBody: false, cancellationToken: cancellationToken).ConfigureAwait(false);
        rows.Add(new ProbeRow("T38 HTTP-RESUME-ERRORS", RuleLevel.Practice, "GET with an event id never given", "400", bogus.Summary, bogus.Status == 400 ? Verdict.Pass : Verdict.Fail));
    }

    // By hand, not System.Net.ServerSentEvents.SseParser: the parser, as the SSE spec says, dispatches no event with
    // empty data, and the priming event is exactly one; the audit must see it as it was sent.
    private static (string? Id, string? Retry, string Data) FirstEvent(string body)
    {
        string? id = null, retry = null;
        var data = new System.Text.StringBuilder();
        foreach (string line in body.Split('\n'))
        {
            if (line.Length == 0)
            {
                if (id is not null || data.Length > 0 || retry is not null)
                {
                    break;
                }

                continue;
            }

            if (line.StartsWith("id:", StringComparison.Ordinal))
            {
                id = line[3..].TrimStart(' ');
            }
            else if (line.StartsWith("retry:", StringComparison.Ordinal))
            {
                retry = line[6..].TrimStart(' ');
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                data.Append(line[5..].TrimStart(' '));
            }
        }

        return (id, retry, data.ToString());
    }
}

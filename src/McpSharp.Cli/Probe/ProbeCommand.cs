using System.CommandLine;
using Spectre.Console;

namespace McpSharp.Cli.Probe;

/// <summary>
/// <c>mcpsharp probe URL</c>: audits a server's Streamable HTTP transport against the 2025-11-25 session rules and the
/// 2026-07-28 ones. A table (or <c>--json</c>) of requirement, rule, expected, answered and verdict; exit code 6 when
/// any MUST fails. Every request is bounded by <c>--timeout</c>; only the probe's own sessions are deleted.
/// </summary>
internal static class ProbeCommand
{
    public static Command Create(SharedOptions shared, TextWriter output)
    {
        var (command, positionals) = shared.NewCommand("probe", "Audit a server's Streamable HTTP transport (both eras).", "URL");
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var error = parsed.InvocationConfiguration.Error;
            string[] arguments = parsed.GetValue(positionals) ?? [];
            if (arguments.Length != 1 || !Uri.TryCreate(arguments[0], UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            {
                await error.WriteLineAsync("mcpsharp: probe takes one http(s) URL.").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            List<(string Name, string Value)> headers;
            try
            {
                headers = shared.ReadHeaders(parsed);
            }
            catch (UsageException ex)
            {
                await error.WriteLineAsync("mcpsharp: " + ex.Message).ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            using var client = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
            var http = new ProbeHttp(client, url, parsed.GetValue(shared.Timeout), headers);
            var rows = new List<ProbeRow>();
            await new SessionAudit(http, rows).RunAsync(cancellationToken).ConfigureAwait(false);
            await new ModernAudit(http, rows).RunAsync(cancellationToken).ConfigureAwait(false);
            await WriteAsync(output, rows, parsed.GetValue(shared.Json)).ConfigureAwait(false);
            return rows.Any(r => r.Level == RuleLevel.Must && r.Verdict == Verdict.Fail) ? ExitCodes.AuditFailed : ExitCodes.Ok;
        });
        return command;
    }

    private static async Task WriteAsync(TextWriter output, List<ProbeRow> rows, bool json)
    {
        if (json)
        {
            await Output.WriteJsonObjectAsync(output, ("checks", writer =>
            {
                writer.WriteStartArray();
                foreach (var row in rows)
                {
                    writer.WriteStartObject();
                    writer.WriteString("id", row.Id);
                    writer.WriteString("level", Name(row.Level));
                    writer.WriteString("rule", row.Rule);
                    writer.WriteString("expected", row.Expected);
                    writer.WriteString("answered", row.Answered);
                    writer.WriteString("verdict", row.Verdict.ToString().ToLowerInvariant());
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            })).ConfigureAwait(false);
            return;
        }

        var table = new Table { Border = TableBorder.Rounded };
        foreach (string column in (string[])["Requirement", "Level", "Rule", "Expected", "Answered", "Verdict"])
        {
            table.AddColumn(column);
        }

        foreach (var row in rows)
        {
            string verdict = row.Verdict switch
            {
                Verdict.Pass => "[green]pass[/]",
                Verdict.Fail => row.Level == RuleLevel.Must ? "[red]FAIL[/]" : "[yellow]fail[/]",
                _ => "[grey]skip[/]",
            };
            table.AddRow(Markup.Escape(row.Id), Name(row.Level), Markup.Escape(row.Rule), Markup.Escape(row.Expected), Markup.Escape(row.Answered), verdict);
        }

        var console = Output.Console(output);
        console.Write(table);
        int failedMust = rows.Count(r => r.Level == RuleLevel.Must && r.Verdict == Verdict.Fail);
        int failedOther = rows.Count(r => r.Level != RuleLevel.Must && r.Verdict == Verdict.Fail);
        console.WriteLine($"{rows.Count(r => r.Verdict == Verdict.Pass)} passed, {failedMust} MUST failed, {failedOther} SHOULD or practice failed, {rows.Count(r => r.Verdict == Verdict.Skip)} skipped.");
    }

    private static string Name(RuleLevel level) => level switch
    {
        RuleLevel.Must => "MUST",
        RuleLevel.Should => "SHOULD",
        _ => "practice",
    };
}

using System.Text.Json;
using McpSharp.Tests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace McpSharp.Cli.Tests;

/// <summary>
/// <c>mcpsharp probe</c>, installed and run as a process: the sample passes every MUST; a server with the session
/// bugs of shipped SDKs (400 for an unknown session, 200 for a DELETE of an unknown or deleted session) fails exactly
/// those rows and nothing else.
/// </summary>
[Collection(InstalledToolGroup.Name)]
public sealed class ProbeTests(InstalledTool tool, SampleHttpServer http)
{
    private static readonly string[] BrokenRows = ["T07 HTTP-SESS-404", "T08 HTTP-SESS-404", "T09 HTTP-SESS-404", "T11 HTTP-SESS-404", "T12 HTTP-SESS-404", "T13 HTTP-SESS-404"];

    [Fact]
    public async Task The_sample_passes_every_rule_in_both_eras()
    {
        var (exit, output, error) = await tool.RunAsync("probe", http.Url, "--json");

        Assert.True(exit == 0, error + output);
        var checks = Checks(output);
        // Every row passes but the parameter-header one, which needs a tool that declares x-mcp-header (the sample has none).
        Assert.All(checks.Where(c => c.Id != "M26-HTTP-XMCP-SERVER"), c => Assert.True(c.Verdict == "pass", $"{c.Id} {c.Rule}: answered {c.Answered}"));
        Assert.Contains(checks, c => c.Id == "M26-HTTP-XMCP-SERVER" && c.Verdict == "skip");
        string[] covered = ["T01 HTTP-SESS-ASSIGN", "T07 HTTP-SESS-404", "T13 HTTP-SESS-404", "T36 SSE-PRIME", "T37 HTTP-RESUME-REPLAY", "HTTP-SESS-REINIT",
            "M26-DISCOVER-REQUIRED", "M26-META-PROTOCOLVERSION", "M26-HTTP-MCP-METHOD", "M26-HTTP-404", "M26-HTTP-GET-DELETE"];
        Assert.All(covered, id => Assert.Contains(checks, c => c.Id == id));
    }

    [Fact]
    public async Task A_server_with_the_known_session_bugs_fails_exactly_those_rows()
    {
        await using var broken = await StartBrokenServerAsync();

        var (exit, output, error) = await tool.RunAsync("probe", broken.Urls.First() + "/mcp", "--json");

        Assert.True(exit == 6, error + output);
        Assert.Equal(BrokenRows, Failed(Checks(output)));
    }

    // What is known of the official C# SDK 2.4.0 (issue 14): DELETE of an unknown or deleted session answers 200, and
    // foreign Origin and Host headers are accepted; an initialize inside a live session is answered 200. The rest of its
    // session rules hold; its streams carry no event ids (no event store configured), so the resumption rows are skipped.
    [Fact]
    public async Task The_official_csharp_sdk_server_fails_its_known_rows_only()
    {
        string server = Path.Combine(StdioChild.RepositoryRoot(), "tests", "interop", "csharp-sdk-server", "bin", Configuration, "net10.0", "OfficialSdkServer.dll");
        var checks = await ProbeAsync(new System.Diagnostics.ProcessStartInfo(StdioChild.DotnetHost(), [server]), expectedExit: 6);

        Assert.Equal(["T09 HTTP-SESS-404", "T14 HTTP-SESS-MISSING-400", "T23 HTTP-ORIGIN-403", "T24 HTTP-HOST-CHECK", "T17", "T13 HTTP-SESS-404"], Failed(checks));
        Assert.Contains(checks, c => c.Id == "T07 HTTP-SESS-404" && c.Verdict == "pass");
        Assert.Contains(checks, c => c.Id == "T36 SSE-PRIME" && c.Verdict == "skip");
        Assert.Contains(checks, c => c.Id == "M26-DISCOVER-REQUIRED" && c.Verdict == "pass");
    }

    // The TypeScript SDK's servers (tests/interop/typescript): no Origin or Host check unless configured, a batch
    // accepted (kept for 2025-03-26 clients), no event ids; v1 (1.32.2) speaks no 2026-07-28, and v2 (2.4.0) answers a
    // 2026-07-28 GET or DELETE 400, not 405. Their session rules hold.
    [Theory]
    [InlineData("server.mjs", new[] { "T23 HTTP-ORIGIN-403", "T24 HTTP-HOST-CHECK", "T30 HTTP-POST-SINGLE" })]
    [InlineData("v2-server.mjs", new[] { "T23 HTTP-ORIGIN-403", "T24 HTTP-HOST-CHECK", "T30 HTTP-POST-SINGLE", "M26-HTTP-GET-DELETE", "M26-HTTP-GET-DELETE" })]
    public async Task The_typescript_sdk_servers_fail_their_known_rows_only(string script, string[] known)
    {
        await NodeInterop.EnsureInstalledAsync();
        var checks = await ProbeAsync(new System.Diagnostics.ProcessStartInfo("node", [script]) { WorkingDirectory = NodeInterop.Folder }, expectedExit: 6);

        Assert.Equal(known, Failed(checks));
        Assert.All(checks.Where(c => c.Id.Contains("SESS", StringComparison.Ordinal)), c => Assert.Equal("pass", c.Verdict));
    }

    [Fact]
    public async Task A_tool_that_mirrors_a_parameter_into_a_header_has_the_header_checked()
    {
        await using var server = await McpSharpApp.StartAsync(static (context, next) => next(context), static mcp => mcp.Tools.Add(
            new McpSharp.Protocol.Tool
            {
                Name = "route",
                InputSchema = JsonDocument.Parse("""{"type":"object","properties":{"region":{"type":"string","x-mcp-header":"Region"}},"required":["region"]}""").RootElement.Clone(),
            },
            static _ => ValueTask.FromResult(McpSharp.Protocol.CallToolResult.FromText("routed"))));

        var (exit, output, error) = await tool.RunAsync("probe", server.Urls.First() + "/mcp", "--json");

        Assert.True(exit == 0, error + output);
        var rows = Checks(output).Where(c => c.Id == "M26-HTTP-XMCP-SERVER").ToArray();
        Assert.Equal(2, rows.Length);
        Assert.All(rows, r => Assert.Equal(("400", "pass"), (r.Answered, r.Verdict)));
    }

    [Fact]
    public async Task The_table_names_each_rule_and_sums_up()
    {
        var (exit, output, _) = await tool.RunAsync("probe", http.Url);

        Assert.Equal(0, exit);
        Assert.Contains("T07 HTTP-SESS-404", output, StringComparison.Ordinal);
        Assert.Contains("0 MUST failed", output, StringComparison.Ordinal);
    }

    private static string Configuration => typeof(ProbeTests).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyConfigurationAttribute), false)
        .OfType<System.Reflection.AssemblyConfigurationAttribute>().FirstOrDefault()?.Configuration ?? "Debug";

    // Starts a peer server (it prints "LISTENING <port>"), probes it, stops it.
    private async Task<List<(string Id, string Rule, string Answered, string Verdict)>> ProbeAsync(System.Diagnostics.ProcessStartInfo start, int expectedExit)
    {
        var (server, endpoint) = await NodeInterop.StartListeningAsync(start);
        try
        {
            var (exit, output, error) = await tool.RunAsync("probe", endpoint.ToString(), "--json");
            Assert.True(exit == expectedExit, error + output);
            return Checks(output);
        }
        finally
        {
            NodeInterop.Stop(server);
        }
    }

    private static string[] Failed(List<(string Id, string Rule, string Answered, string Verdict)> checks) =>
        [.. checks.Where(c => c.Verdict == "fail").Select(c => c.Id)];

    private static List<(string Id, string Rule, string Answered, string Verdict)> Checks(string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.GetProperty("checks").EnumerateArray().Select(c => (
            c.GetProperty("id").GetString()!, c.GetProperty("rule").GetString()!, c.GetProperty("answered").GetString()!, c.GetProperty("verdict").GetString()!))];
    }

    // McpSharp's own endpoint with two bugs put in front of it: a 404 for a session id comes out as 400, and a DELETE
    // that found no session comes out as 200. Everything else is McpSharp's, so only the session rows can fail.
    private static Task<WebApplication> StartBrokenServerAsync() => McpSharpApp.StartAsync(static (context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            if (context.Response.StatusCode == StatusCodes.Status404NotFound && context.Request.Headers.ContainsKey("MCP-Session-Id"))
            {
                context.Response.StatusCode = HttpMethods.IsDelete(context.Request.Method) ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest;
            }

            return Task.CompletedTask;
        });
        return next(context);
    });
}

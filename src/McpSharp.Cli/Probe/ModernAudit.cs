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
        rows.Add(ProbeRow.Expect("M26-META-PROTOCOLVERSION", RuleLevel.Must, "a request without _meta's protocol version", 400,
            await PostAsync("server/discover", """{"jsonrpc":"2.0","id":2,"method":"server/discover","params":{"_meta":{"io.modelcontextprotocol/clientCapabilities":{}}}}""", cancellationToken).ConfigureAwait(false)));
        rows.Add(ProbeRow.Expect("M26-META-CLIENTCAPS", RuleLevel.Must, "a request without _meta's client capabilities", 400,
            await PostAsync("server/discover", """{"jsonrpc":"2.0","id":3,"method":"server/discover","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}}""", cancellationToken).ConfigureAwait(false)));
        rows.Add(ProbeRow.Expect("M26-HTTP-MCP-METHOD", RuleLevel.Must, "a request without the Mcp-Method header", 400,
            await PostAsync(null, Discover, cancellationToken).ConfigureAwait(false)));
        rows.Add(ProbeRow.Expect("M26-HTTP-MCP-METHOD", RuleLevel.Must, "an Mcp-Method header that is not the body's method", 400,
            await PostAsync("tools/list", Discover, cancellationToken).ConfigureAwait(false)));
        rows.Add(ProbeRow.Expect("M26-HTTP-MCP-NAME", RuleLevel.Must, "an Mcp-Name header that is not the tool's name", 400,
            await http.SendAsync(HttpMethod.Post, """{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"mcpsharp-probe-tool","arguments":{},"_meta":{""" + Meta + "}}}", protocolVersion: Version,
                adjust: r =>
                {
                    r.Headers.TryAddWithoutValidation("Mcp-Method", "tools/call");
                    r.Headers.TryAddWithoutValidation("Mcp-Name", "mcpsharp-probe-other");
                }, cancellationToken: cancellationToken).ConfigureAwait(false)));
        await ParameterHeaderAsync(cancellationToken).ConfigureAwait(false);
        rows.Add(ProbeRow.Expect("M26-HTTP-404", RuleLevel.Must, "a method removed in 2026-07-28 (ping)", 404,
            await PostAsync("ping", """{"jsonrpc":"2.0","id":4,"method":"ping","params":{"_meta":{""" + Meta + "}}}", cancellationToken).ConfigureAwait(false)));
        var get = await http.SendAsync(HttpMethod.Get, protocolVersion: Version, accept: "text/event-stream", readBody: false, cancellationToken: cancellationToken).ConfigureAwait(false);
        rows.Add(Row("M26-HTTP-GET-DELETE", "GET in 2026-07-28 (no sessions)", get));
        var delete = await http.SendAsync(HttpMethod.Delete, protocolVersion: Version, accept: null, cancellationToken: cancellationToken).ConfigureAwait(false);
        rows.Add(Row("M26-HTTP-GET-DELETE", "DELETE in 2026-07-28 (no sessions)", delete));
    }

    // M26-HTTP-XMCP-SERVER: a tool whose schema mirrors a parameter into Mcp-Param-{Name} must have the header checked
    // against the body. The first such tool listed is called with a header that disagrees, then with none; the tool
    // never runs (the server must refuse before). No such tool: skipped.
    private async Task ParameterHeaderAsync(CancellationToken cancellationToken)
    {
        var listed = await PostAsync("tools/list", """{"jsonrpc":"2.0","id":6,"method":"tools/list","params":{"_meta":{""" + Meta + "}}}", cancellationToken).ConfigureAwait(false);
        if (FindHeaderParameter(listed.Body) is not { } found)
        {
            rows.Add(new ProbeRow("M26-HTTP-XMCP-SERVER", RuleLevel.Must, "an Mcp-Param header that is not the body's value", "400", "no tool declares x-mcp-header", Verdict.Skip));
            return;
        }

        var (tool, property, header, value, other) = found;
        string body = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":" + System.Text.Json.JsonSerializer.Serialize(tool, Protocol.McpJsonContext.Default.String)
            + ",\"arguments\":{" + System.Text.Json.JsonSerializer.Serialize(property, Protocol.McpJsonContext.Default.String) + ":" + value + "},\"_meta\":{" + Meta + "}}}";
        foreach (var (rule, sent) in new (string, string?)[] { ("an Mcp-Param header that is not the body's value", other), ("no Mcp-Param header for a value in the body", null) })
        {
            var answer = await http.SendAsync(HttpMethod.Post, body, protocolVersion: Version, adjust: r =>
            {
                r.Headers.TryAddWithoutValidation("Mcp-Method", "tools/call");
                r.Headers.TryAddWithoutValidation("Mcp-Name", tool);
                if (sent is not null)
                {
                    r.Headers.TryAddWithoutValidation("Mcp-Param-" + header, sent);
                }
            }, cancellationToken: cancellationToken).ConfigureAwait(false);
            rows.Add(ProbeRow.Expect("M26-HTTP-XMCP-SERVER", RuleLevel.Must, $"{rule} ({tool})", 400, answer));
        }
    }

    // The first top-level string, integer or boolean property with an x-mcp-header: a JSON value for the body and a
    // different header value.
    private static (string Tool, string Property, string Header, string Value, string Other)? FindHeaderParameter(string body)
    {
        int start = body.IndexOf('{', StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(body[start..]);
            if (!document.RootElement.TryGetProperty("result", out var result) || !result.TryGetProperty("tools", out var tools))
            {
                return null;
            }

            foreach (var tool in tools.EnumerateArray())
            {
                if (!tool.TryGetProperty("inputSchema", out var schema) || !schema.TryGetProperty("properties", out var properties))
                {
                    continue;
                }

                foreach (var property in properties.EnumerateObject())
                {
                    if (property.Value.TryGetProperty("x-mcp-header", out var header) && header.ValueKind == System.Text.Json.JsonValueKind.String
                        && property.Value.TryGetProperty("type", out var type))
                    {
                        var pair = type.GetString() switch
                        {
                            "string" => ("\"mcpsharp-probe-a\"", "mcpsharp-probe-b"),
                            "integer" => ("1", "2"),
                            "boolean" => ("true", "false"),
                            _ => ((string, string)?)null,
                        };
                        if (pair is { } values)
                        {
                            return (tool.GetProperty("name").GetString()!, property.Name, header.GetString()!, values.Item1, values.Item2);
                        }
                    }
                }
            }
        }
        catch (System.Text.Json.JsonException)
        {
        }

        return null;
    }

    private Task<ProbeAnswer> PostAsync(string? method, string body, CancellationToken cancellationToken) =>
        http.SendAsync(HttpMethod.Post, body, protocolVersion: Version, adjust: method is null ? null : r => r.Headers.TryAddWithoutValidation("Mcp-Method", method), cancellationToken: cancellationToken);

    private static ProbeRow Row(string id, string rule, ProbeAnswer answer) => ProbeRow.Expect(id, RuleLevel.Should, rule, 405, answer);
}

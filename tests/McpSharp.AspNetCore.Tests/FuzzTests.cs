using System.Net.Sockets;
using System.Text;
using McpSharp.AspNetCore.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace McpSharp.AspNetCore.Tests;

/// <summary>
/// No input gets a 500, hangs the server or takes it down (issue 16): a seeded generator sends malformed HTTP over raw
/// sockets to one server (both eras, a live session): bad framing (lengths that lie, broken chunks), odd methods and
/// headers (types, versions, session ids, Last-Event-IDs, encodings), bodies that are random bytes, mutated messages,
/// valid JSON of the wrong shapes, deep nesting, huge values and batches, sent whole or cut off. Every answer is a
/// status other than 500 (or a closed connection), none takes longer than the deadline, Kestrel logs no unhandled
/// exception, and a valid request works after every few cases. The seed is printed: a failure replays exactly.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    private const int Cases = 400;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    // Weighted toward what reaches the JSON-RPC layer: most cases are POSTs with good headers and a bad body.
    private static readonly string[] Methods = ["POST", "POST", "POST", "POST", "POST", "POST", "POST", "POST", "GET", "GET", "DELETE", "PUT", "OPTIONS", "HEAD", "BREW", "post"];
    private static readonly string[] ContentTypes = ["application/json", "application/json", "application/json; charset=utf-8", "text/plain", "", "application/json; charset=utf-16", "multipart/form-data; boundary=x", "application/jsonx", "*/*"];
    private static readonly string[] Accepts = ["application/json, text/event-stream", "application/json, text/event-stream", "text/event-stream", "application/json", "", "*/*", "text/html", "application/json;q=0, text/event-stream;q=0"];
    private static readonly string[] Versions = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05", "2026-07-28", "", "1999-01-01", "2025-11-25, 2025-06-18", "x"];
    private static readonly string[] Methods26 = ["initialize", "notifications/initialized", "ping", "tools/list", "tools/call", "resources/list", "resources/read", "resources/subscribe", "resources/templates/list", "prompts/list", "prompts/get", "completion/complete", "logging/setLevel", "server/discover", "subscriptions/listen", "notifications/cancelled", "notifications/roots/list_changed", "tasks/get", "nope", ""];
    private static readonly string[] Values = ["null", "true", "false", "0", "-1", "1.5", "1e308", "-1e400", "123456789012345678901234567890", "\"\"", "\"x\"", "\"2.0\"", "[]", "{}", "[1,{}]", "{\"a\":[null]}", "\"\\ud800\"", "\"\\u0000\"", "\"é\""];

    [Fact]
    public async Task No_input_gets_a_500_a_hang_or_a_dead_server()
    {
        int seed = Environment.GetEnvironmentVariable("MCPSHARP_FUZZ_SEED") is { } s ? int.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : 20261201;
        output.WriteLine($"seed {seed} (MCPSHARP_FUZZ_SEED replays it)");
        var random = new Random(seed);
        var log = new CapturingLoggerProvider();
        await using var server = await TestServer.StartAsync(services: s => s.AddSingleton<ILoggerProvider>(log));
        string session = await server.InitializeAsync();
        var statuses = new Dictionary<string, int>();

        for (int i = 0; i < Cases; i++)
        {
            var (request, description, framed) = Generate(random, server.Endpoint, session);
            bool cut = random.Next(8) == 0;
            bool whole = framed && !cut;
            string status = await SendAsync(server.Endpoint, cut ? request[..random.Next(request.Length + 1)] : request, whole, description);
            Assert.True(!whole || status.Length == 3, $"case {i} ({description}), a whole request, got no status: {status}");
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            Assert.False(status.StartsWith("500", StringComparison.Ordinal), $"case {i} ({description}) got {status}");

            if (i % 25 == 24)
            {
                // Still serving, and the session is still there unless a case deleted it.
                Assert.False(string.IsNullOrEmpty(await server.InitializeAsync()), $"the server stopped serving after case {i}");
            }
        }

        output.WriteLine(string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}")));
        Assert.Empty(log.Entries.Where(e => e.Level >= LogLevel.Error).Select(e => $"{e.Category}: {e.Message} {e.Exception}"));
    }

    // Writes the bytes and reads the status code. A request that is not whole (cut off, or framed to claim more than it
    // has) also ends the sending side, so the server sees the client go ("closed" when it hangs up without an answer: a
    // quiet abort). Fails past the deadline.
    private static async Task<string> SendAsync(Uri endpoint, byte[] request, bool whole, string description)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(endpoint.Host, endpoint.Port);
        var stream = client.GetStream();
        using var deadline = new CancellationTokenSource(Deadline);
        try
        {
            await stream.WriteAsync(request, deadline.Token);
            if (!whole)
            {
                client.Client.Shutdown(SocketShutdown.Send);
            }
        }
        catch (IOException)
        {
            // The server already closed (it answered and hung up before reading everything): read what it said.
        }

        using var reader = new StreamReader(stream, Encoding.Latin1);
        try
        {
            string line = await reader.ReadLineAsync(deadline.Token) ?? string.Empty;
            return line.Length >= 12 && line.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) ? line[9..12] : line.Length == 0 ? "closed" : "odd: " + line;
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No answer within {Deadline} to: {description}");
        }
        catch (IOException)
        {
            return "closed";
        }
    }

    // A request, what it is, and whether its framing is honest (a Content-Length that matches the body).
    private static (byte[] Request, string Description, bool Framed) Generate(Random random, Uri endpoint, string session)
    {
        string method = Pick(random, Methods);
        var head = new StringBuilder($"{method} {endpoint.AbsolutePath}{(random.Next(10) == 0 ? "?x=%zz" : string.Empty)} HTTP/1.1\r\nHost: {endpoint.Authority}\r\nConnection: close\r\n");
        void Header(string name, string value) => head.Append(name).Append(": ").Append(value).Append("\r\n");
        if (random.Next(8) != 0)
        {
            Header("Content-Type", random.Next(4) == 0 ? Pick(random, ContentTypes) : "application/json");
        }

        if (random.Next(8) != 0)
        {
            Header("Accept", random.Next(4) == 0 ? Pick(random, Accepts) : method == "GET" ? "text/event-stream" : "application/json, text/event-stream");
        }

        if (random.Next(3) != 0)
        {
            Header("MCP-Protocol-Version", random.Next(3) == 0 ? Pick(random, Versions) : "2025-11-25");
        }

        switch (random.Next(6))
        {
            case 0 or 1 or 3 when method != "DELETE":
                // The live session (never deleted here: the cases after this one need it to get past the 404).
                Header("MCP-Session-Id", session);
                break;
            case 2:
                Header("MCP-Session-Id", Pick(random, ["", "x", new string('a', 5000), "ñ-session", session + "x", "../../etc"]));
                break;
        }

        if (method == "GET" && random.Next(2) == 0)
        {
            Header("Last-Event-ID", Pick(random, ["0:0", "0:999999", "x", "", ":", "0:-1", "a.1:1", "0:99999999999999999999", "\u00e9:1"]));
        }

        if (random.Next(8) == 0)
        {
            Header(Pick(random, ["Origin", "X-Forwarded-For", "Mcp-Param-Name", "Content-Encoding", "Expect"]), Pick(random, ["http://evil.example", "gzip", "100-continue", "=?utf-8?B?AA==?=", ""]));
        }

        byte[] body = Body(random);
        string description;
        byte[] framed;
        bool honest = false;
        switch (random.Next(10))
        {
            case 0:
                // Chunked, perhaps broken.
                Header("Transfer-Encoding", "chunked");
                string size = random.Next(3) switch { 0 => body.Length.ToString("x", System.Globalization.CultureInfo.InvariantCulture), 1 => "FFFFFFFFFFFFFFFFFFFF", _ => (body.Length + random.Next(-3, 4)).ToString("x", System.Globalization.CultureInfo.InvariantCulture) };
                framed = [.. Encoding.ASCII.GetBytes(size + "\r\n"), .. body, .. Encoding.ASCII.GetBytes(random.Next(3) == 0 ? "\r\n" : "\r\n0\r\n\r\n")];
                description = $"{method} chunked size {size}";
                break;
            case 1:
                // A Content-Length that lies or is not one.
                string length = Pick(random, ["-1", "abc", (body.Length + 10).ToString(System.Globalization.CultureInfo.InvariantCulture), Math.Max(0, body.Length - 5).ToString(System.Globalization.CultureInfo.InvariantCulture), "99999999999999999999", "1, 2"]);
                Header("Content-Length", length);
                framed = body;
                description = $"{method} Content-Length {length}";
                break;
            default:
                Header("Content-Length", body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
                framed = body;
                honest = true;
                description = $"{method} body {Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 120))}";
                break;
        }

        head.Append("\r\n");
        return ([.. Encoding.Latin1.GetBytes(head.ToString()), .. framed], description, honest);
    }

    private static byte[] Body(Random random)
    {
        switch (random.Next(7))
        {
            case 0:
                var bytes = new byte[random.Next(0, 600)];
                random.NextBytes(bytes);
                return bytes;
            case 1:
                return Encoding.UTF8.GetBytes(Mutate(random, Message(random)));
            case 2:
                return Encoding.UTF8.GetBytes("[" + string.Join(",", Enumerable.Range(0, random.Next(0, 4)).Select(_ => Message(random))) + "]");
            case 3:
                int depth = random.Next(50, 3000);
                return Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":" + new string('[', depth) + new string(']', depth) + "}");
            case 4:
                return Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":{\"text\":\"" + new string('x', random.Next(1, 200_000)) + "\"}}}");
            case 5:
                return [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Message(random))];
            default:
                return Encoding.UTF8.GetBytes(Message(random));
        }
    }

    // A message of the protocol's methods with members of any type: the shapes handlers must refuse cleanly.
    private static string Message(Random random)
    {
        if (random.Next(2) == 0)
        {
            // A good envelope around a real method: what reaches the handlers, with parameters of any shape.
            return $$"""{"jsonrpc":"2.0","id":{{random.Next(1, 1000)}},"method":"{{Pick(random, Methods26)}}","params":{{Params(random)}}}""";
        }

        var members = new List<string>();
        if (random.Next(6) != 0)
        {
            members.Add("\"jsonrpc\":" + (random.Next(4) == 0 ? Pick(random, Values) : "\"2.0\""));
        }

        if (random.Next(4) != 0)
        {
            members.Add("\"id\":" + (random.Next(3) == 0 ? Pick(random, Values) : random.Next(1000).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        if (random.Next(8) != 0)
        {
            members.Add("\"method\":" + (random.Next(5) == 0 ? Pick(random, Values) : "\"" + Pick(random, Methods26) + "\""));
        }

        if (random.Next(3) != 0)
        {
            members.Add("\"params\":" + Params(random));
        }

        if (random.Next(10) == 0)
        {
            members.Add("\"result\":" + Pick(random, Values));
        }

        return "{" + string.Join(",", members.OrderBy(_ => random.Next())) + "}";
    }

    private static string Params(Random random)
    {
        if (random.Next(4) == 0)
        {
            return Pick(random, Values);
        }

        var members = new List<string>();
        foreach (string name in new[] { "name", "uri", "arguments", "protocolVersion", "capabilities", "clientInfo", "level", "cursor", "ref", "argument", "requestId", "_meta", "inputResponses", "requestState" })
        {
            if (random.Next(3) == 0)
            {
                string value = random.Next(3) == 0 ? Pick(random, Values) : name switch
                {
                    "name" => Pick(random, ["\"echo\"", "\"nope\"", "\"\""]),
                    "uri" => Pick(random, ["\"file:///x\"", "\"::\"", "\"" + new string('u', 3000) + "\""]),
                    "_meta" => Pick(random, ["{\"traceparent\":\"00-xyz\"}", "{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\",\"io.modelcontextprotocol/clientCapabilities\":7}", "{\"progressToken\":{}}", "{\"traceparent\":\"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\",\"baggage\":\"%%%\"}"]),
                    _ => Pick(random, Values),
                };
                members.Add("\"" + name + "\":" + value);
            }
        }

        return "{" + string.Join(",", members) + "}";
    }

    private static string Mutate(Random random, string json)
    {
        var chars = new StringBuilder(json);
        for (int n = random.Next(1, 4); n > 0 && chars.Length > 0; n--)
        {
            int at = random.Next(chars.Length);
            switch (random.Next(3))
            {
                case 0:
                    chars.Remove(at, 1);
                    break;
                case 1:
                    const string Noise = "{}[]\",:\\\u0000é";
                    chars.Insert(at, Noise[random.Next(Noise.Length)]);
                    break;
                default:
                    chars.Length = at;
                    break;
            }
        }

        return chars.ToString();
    }

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];
}

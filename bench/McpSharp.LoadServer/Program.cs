using System.Text.Json;
using McpSharp.AspNetCore;
using McpSharp.Protocol;
using McpSharp.Server;

// The server side of the load harness (bench/load/run.sh).
//   --mode sse | json | stateless | stateless-json | ceiling | ceiling-sse | stdio   [--redis HOST:PORT]
//   (stateless: SSE responses, as the official C# SDK answers; stateless-json: JSON responses; ceiling: a bare Kestrel
//   endpoint that reads the body with the BodyReader and answers a canned JSON-RPC result with Content-Length, the
//   fastest a Kestrel endpoint does this work; ceiling-sse: the same, answering the result as one SSE event;
//   stdio: the same MCP server over stdin/stdout;
//   --redis: the sessions, events and messages between nodes in Redis, as one node of a cluster)
// Every mode serves POST /mcp on 127.0.0.1 (a free port unless --urls), prints "LISTENING <url>", and GET /debug/memory
// answers {"managed":<bytes after a full GC>,"rss":<bytes>,"sessions":<count>}.
string mode = "sse";
string? redis = null;
var rest = new List<string>();
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--mode" && i + 1 < args.Length)
    {
        mode = args[++i];
    }
    else if (args[i] == "--redis" && i + 1 < args.Length)
    {
        redis = args[++i];
    }
    else
    {
        rest.Add(args[i]);
    }
}

var echo = new Tool { Name = "echo", Description = "Echoes the text.", InputSchema = JsonDocument.Parse("""{"type":"object","properties":{"text":{"type":"string"}},"required":["text"]}""").RootElement.Clone() };
McpToolHandler echoHandler = static ctx => ValueTask.FromResult(CallToolResult.FromText(ctx.Params.Arguments!["text"].GetString()!));

if (mode == "stdio")
{
    // The same server over stdio, for the stdio round-trip comparison.
    var stdioServer = new McpServer(new McpServerOptions { ServerInfo = new Implementation { Name = "mcpsharp-load", Version = "1.0.0" } });
    stdioServer.Tools.Add(echo, echoHandler);
    await McpSharp.Transports.Stdio.StdioServerExtensions.RunStdioAsync(stdioServer);
    return;
}

var builder = WebApplication.CreateSlimBuilder([.. rest]);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
if (string.IsNullOrEmpty(builder.Configuration["urls"]))
{
    builder.WebHost.UseUrls("http://127.0.0.1:0");
}

bool ceiling = mode.StartsWith("ceiling", StringComparison.Ordinal);
if (!ceiling)
{
    var mcp = builder.Services.AddMcpServer(o => o.ServerInfo = new Implementation { Name = "mcpsharp-load", Version = "1.0.0" })
        .WithHttpTransport(http =>
        {
            http.JsonResponse = mode is "json" or "stateless-json";
            http.SessionMode = mode.StartsWith("stateless", StringComparison.Ordinal) ? McpSessionMode.Stateless : McpSessionMode.Hybrid;
            http.MaxSessions = 100_000;
        })
        .WithServer(server => server.Tools.Add(echo, echoHandler));
    if (redis is not null)
    {
        McpSharp.Redis.McpRedisBuilderExtensions.WithRedis(mcp, redis);
    }
}

var app = builder.Build();
if (ceiling)
{
    // The ceiling: read the whole request, answer the bytes McpSharp would, no MCP at all.
    bool sse = mode == "ceiling-sse";
    byte[] canned = sse
        ? "data: {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"hello\"}]}}\n\n"u8.ToArray()
        : """{"jsonrpc":"2.0","id":1,"result":{"content":[{"type":"text","text":"hello"}]}}"""u8.ToArray();
    app.MapPost("/mcp", async (HttpContext context) =>
    {
        var body = context.Request.BodyReader;
        while (true)
        {
            var read = await body.ReadAsync();
            body.AdvanceTo(read.Buffer.End);
            if (read.IsCompleted)
            {
                break;
            }
        }

        if (sse)
        {
            // An SSE stream has no length known in advance: chunked, as every SSE response of an MCP server.
            context.Response.ContentType = "text/event-stream";
            context.Response.Headers.CacheControl = "no-cache,no-store";
        }
        else
        {
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = canned.Length;
        }

        await context.Response.BodyWriter.WriteAsync(canned);
    });
}
else
{
    app.MapMcp("/mcp");
}

app.MapGet("/debug/memory", (IServiceProvider services) =>
{
    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    GC.WaitForPendingFinalizers();
    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    int sessions = services.GetService<McpServer>()?.Sessions.Count ?? 0;
    return Results.Text($$"""{"managed":{{GC.GetTotalMemory(true)}},"rss":{{Environment.WorkingSet}},"sessions":{{sessions}}}""", "application/json");
});
app.Lifetime.ApplicationStarted.Register(() => Console.WriteLine($"LISTENING {app.Urls.First()}/mcp"));
await app.RunAsync();

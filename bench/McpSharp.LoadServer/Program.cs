using System.Text.Json;
using McpSharp.AspNetCore;
using McpSharp.Protocol;
using McpSharp.Server;

// The server side of the load harness (bench/load/run.sh).
//   --mode sse | json | stateless | ceiling | stdio   [--redis HOST:PORT]
//   (ceiling: a bare Kestrel endpoint answering a canned JSON-RPC result; stdio: the same MCP server over stdin/stdout;
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
builder.Logging.ClearProviders();
if (string.IsNullOrEmpty(builder.Configuration["urls"]))
{
    builder.WebHost.UseUrls("http://127.0.0.1:0");
}

if (mode != "ceiling")
{
    var mcp = builder.Services.AddMcpServer(o => o.ServerInfo = new Implementation { Name = "mcpsharp-load", Version = "1.0.0" })
        .WithHttpTransport(http =>
        {
            http.JsonResponse = mode == "json";
            http.SessionMode = mode == "stateless" ? McpSessionMode.Stateless : McpSessionMode.Hybrid;
            http.MaxSessions = 100_000;
        })
        .WithServer(server => server.Tools.Add(echo, echoHandler));
    if (redis is not null)
    {
        McpSharp.Redis.McpRedisBuilderExtensions.WithRedis(mcp, redis);
    }
}

var app = builder.Build();
if (mode == "ceiling")
{
    // The ceiling: read the request, answer the same bytes McpSharp would, no MCP at all.
    byte[] canned = """{"jsonrpc":"2.0","id":1,"result":{"content":[{"type":"text","text":"hello"}]}}"""u8.ToArray();
    app.MapPost("/mcp", async (HttpContext context) =>
    {
        using (var reader = new StreamReader(context.Request.Body))
        {
            await reader.ReadToEndAsync();
        }

        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(canned);
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

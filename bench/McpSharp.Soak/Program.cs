using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using McpSharp.AspNetCore;
using McpSharp.Client;
using McpSharp.Diagnostics;
using McpSharp.Protocol;
using McpSharp.Server;
using McpSharp.Transports.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// The soak run (issue 16): one in-process McpSharp HTTP server under mixed load for a while, sampled for leaks.
//   dotnet run -c Release --project bench/McpSharp.Soak -- [seconds, default 600] [sample every N seconds, default 30]
// Load, all at once: long-lived sessions calling tools with their GET stream open (which gets a list_changed every
// 200 ms); session churn (connect, call, DELETE); calls cancelled part-way; POSTs and GETs whose connection is dropped
// mid-stream; a slow GET reader; 2026-07-28 per-request calls. Every sample forces a full GC first, so the heap column
// is what is retained: flat means nothing leaks. Prints a markdown table and an ASCII plot of the retained heap.
int seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 600;
int every = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 30;

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseUrls("http://127.0.0.1:0");
builder.Services.AddMcpServer(o => o.ServerInfo = new Implementation { Name = "soak", Version = "1" })
    .WithHttpTransport(http => http.IdleTimeout = TimeSpan.FromMinutes(2))
    .WithServer(server =>
    {
        var schema = JsonDocument.Parse("""{"type":"object","properties":{"message":{"type":"string"}}}""").RootElement;
        server.Tools.Add(new Tool { Name = "echo", InputSchema = schema }, static ctx => ValueTask.FromResult(CallToolResult.FromText("Echo: " + ctx.Params.Arguments?["message"].GetString())));
        server.Tools.Add(new Tool { Name = "slow", InputSchema = schema }, static async ctx =>
        {
            await ctx.LogAsync(LoggingLevel.Info, "working");
            await Task.Delay(200, ctx.CancellationToken);
            return CallToolResult.FromText("done");
        });
    });
var app = builder.Build();
app.MapMcp("/mcp");
await app.StartAsync();
var endpoint = new Uri(app.Urls.First() + "/mcp");
var mcp = app.Services.GetRequiredService<McpServer>();

// What the server says about itself: its live sessions and open streams (the HTTP transport's own metrics).
var live = new Dictionary<string, long>();
using var listener = new MeterListener
{
    InstrumentPublished = static (instrument, l) =>
    {
        if (instrument.Meter.Name == McpDiagnostics.MeterName && instrument.Name.StartsWith("mcpsharp.server.active_", StringComparison.Ordinal))
        {
            l.EnableMeasurementEvents(instrument);
        }
    },
};
listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => live[instrument.Name] = value);
listener.Start();

using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
long calls = 0, errors = 0, sessions = 0;
using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
var random = new Random(1201);

async Task Guard(Func<Task> work)
{
    while (!stop.IsCancellationRequested)
    {
        try
        {
            await work();
        }
        catch (Exception) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Interlocked.Increment(ref errors);
            Console.Error.WriteLine("error: " + ex.GetType().Name + ": " + ex.Message);
        }
    }
}

Dictionary<string, JsonElement> Args(string text) => new() { ["message"] = JsonDocument.Parse(JsonSerializer.Serialize(text)).RootElement };

async Task<McpClient> ConnectAsync(ProtocolMode mode, bool stream)
{
    var transport = new StreamableHttpClientTransport(new HttpClientTransportOptions { Endpoint = endpoint, OpenStandaloneStream = stream });
    Interlocked.Increment(ref sessions);
    return await McpClient.ConnectAsync(transport, new McpClientOptions { ProtocolMode = mode });
}

// Long-lived sessions with their GET stream, calling all the time.
async Task LongLived()
{
    await using var client = await ConnectAsync(ProtocolMode.Legacy, stream: true);
    for (int i = 0; i < 2_000 && !stop.IsCancellationRequested; i++)
    {
        await client.CallToolAsync("echo", Args("long" + i), cancellationToken: stop.Token);
        Interlocked.Increment(ref calls);
    }
}

// Session churn: connect, call, DELETE.
async Task Churn()
{
    await using var client = await ConnectAsync(ProtocolMode.Legacy, stream: false);
    for (int i = 0; i < 5; i++)
    {
        await client.CallToolAsync("echo", Args("churn"), cancellationToken: stop.Token);
        Interlocked.Increment(ref calls);
    }
}

// Calls cancelled part-way (notifications/cancelled), and 2026-07-28 per-request calls.
async Task Cancelling()
{
    await using var client = await ConnectAsync(random.Next(2) == 0 ? ProtocolMode.Legacy : ProtocolMode.Modern, stream: false);
    for (int i = 0; i < 20 && !stop.IsCancellationRequested; i++)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(random.Next(1, 300)));
        try
        {
            await client.CallToolAsync("slow", Args("x"), cancellationToken: cancel.Token);
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
        }

        Interlocked.Increment(ref calls);
    }
}

// Dropped connections: a POST whose answer stream is abandoned mid-way, a GET dropped, a slow GET reader.
async Task Dropping()
{
    string sid;
    var init = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""", Encoding.UTF8, "application/json") };
    init.Headers.Accept.ParseAdd("application/json, text/event-stream");
    using (var answer = await http.SendAsync(init, stop.Token))
    {
        sid = answer.Headers.GetValues("MCP-Session-Id").First();
    }

    Interlocked.Increment(ref sessions);
    HttpRequestMessage Request(HttpMethod method, string? body)
    {
        var request = new HttpRequestMessage(method, endpoint);
        request.Headers.Add("MCP-Session-Id", sid);
        request.Headers.Add("MCP-Protocol-Version", "2025-11-25");
        request.Headers.Accept.ParseAdd(method == HttpMethod.Get ? "text/event-stream" : "application/json, text/event-stream");
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        return request;
    }

    using (var slow = await http.SendAsync(Request(HttpMethod.Post, """{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"slow","arguments":{}}}"""), HttpCompletionOption.ResponseHeadersRead, stop.Token))
    {
        // Dropped after the headers: the call runs on and its events are kept for a resume nobody makes.
    }

    using (var get = await http.SendAsync(Request(HttpMethod.Get, null), HttpCompletionOption.ResponseHeadersRead, stop.Token))
    {
        var body = await get.Content.ReadAsStreamAsync(stop.Token);
        var buffer = new byte[16];
        for (int i = 0; i < 5; i++)
        {
            // A slow reader: a few bytes, then a pause, while list_changed keeps coming.
            _ = await body.ReadAsync(buffer, stop.Token);
            await Task.Delay(100, stop.Token);
        }
    }

    using var delete = await http.SendAsync(Request(HttpMethod.Delete, null), stop.Token);
    Interlocked.Increment(ref calls);
}

// A change announced to every client, five times a second: it goes to every GET stream.
using var announcing = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
var announcer = Task.Run(async () =>
{
    while (await announcing.WaitForNextTickAsync() && !stop.IsCancellationRequested)
    {
        mcp.NotifyToolsListChanged();
    }
});

var workers = new List<Task>();
for (int i = 0; i < 3; i++)
{
    workers.Add(Guard(LongLived));
}

workers.Add(Guard(Churn));
workers.Add(Guard(Churn));
workers.Add(Guard(Cancelling));
workers.Add(Guard(Dropping));

Console.WriteLine($"Soak: {seconds} s, a sample every {every} s, server at {endpoint}");
Console.WriteLine();
Console.WriteLine("| t (s) | retained heap (MB) | working set (MB) | handles | threads | live sessions | open streams | calls | sessions opened | errors |");
Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
var heap = new List<double>();
var clock = Stopwatch.StartNew();
while (true)
{
    GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    GC.WaitForPendingFinalizers();
    GC.Collect();
    listener.RecordObservableInstruments();
    using var self = Process.GetCurrentProcess();
    double retained = GC.GetTotalMemory(forceFullCollection: false) / 1048576.0;
    heap.Add(retained);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {clock.Elapsed.TotalSeconds:0} | {retained:0.0} | {self.WorkingSet64 / 1048576.0:0} | {self.HandleCount} | {self.Threads.Count} | {live.GetValueOrDefault("mcpsharp.server.active_sessions")} | {live.GetValueOrDefault("mcpsharp.server.active_streams")} | {Interlocked.Read(ref calls)} | {Interlocked.Read(ref sessions)} | {Interlocked.Read(ref errors)} |"));
    if (stop.IsCancellationRequested)
    {
        break;
    }

    try
    {
        await Task.Delay(TimeSpan.FromSeconds(every), stop.Token);
    }
    catch (OperationCanceledException)
    {
    }
}

await Task.WhenAll(workers);
announcing.Dispose();
await announcer;
await app.StopAsync();

// The retained heap over time, one column per sample.
Console.WriteLine();
double max = Math.Max(1, heap.Max());
for (int row = 8; row >= 1; row--)
{
    var line = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"{max * row / 8,6:0.0} MB |"));
    foreach (double value in heap)
    {
        line.Append(value >= max * (row - 0.5) / 8 ? '#' : ' ');
    }

    Console.WriteLine(line.ToString());
}

Console.WriteLine("         +" + new string('-', heap.Count) + $" ({heap.Count} samples, {every} s apart)");

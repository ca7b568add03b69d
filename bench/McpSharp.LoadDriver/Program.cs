using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using McpSharp.Client;
using McpSharp.Protocol;
using McpSharp.Transports.Stdio;

// The load harness's driver for what wrk cannot do (bench/load/run.sh). Plain HttpClient for HTTP, so every server is
// driven the same way; McpSharp's client for stdio, so both stdio servers are driven by the same client.
//   sessions <url> <count>           memory per idle session (server-reported managed heap and RSS, after a full GC)
//   churn <url> <seconds> <parallel> initialize + initialized + one call + DELETE per iteration
//   calls <url> <count> <parallel>   memory before and after <count> calls on one session
//   stdio <seconds> <command> [args] round trips per second, sequential and 16 in flight
//                                    (STDIO_SEQUENTIAL_ONLY=1: the sequential phase alone, for profiling)
var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024, PooledConnectionLifetime = Timeout.InfiniteTimeSpan }) { Timeout = TimeSpan.FromSeconds(60) };
const string Init = """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"driver","version":"1"}}}""";
const string Initialized = """{"jsonrpc":"2.0","method":"notifications/initialized"}""";
long nextId = 1_000;

switch (args[0])
{
    case "sessions":
    {
        var url = new Uri(args[1]);
        int count = int.Parse(args[2]);
        var before = await MemoryAsync(url);
        var created = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (_, _) => created.Add(await InitializeAsync(url)));
        var after = await MemoryAsync(url);
        Console.WriteLine($"sessions={count} managed_per_session={(after.Managed - before.Managed) / count} rss_per_session={(after.Rss - before.Rss) / count} server_sessions={after.Sessions}");
        break;
    }

    case "churn":
    {
        var url = new Uri(args[1]);
        var duration = TimeSpan.FromSeconds(double.Parse(args[2]));
        int parallel = int.Parse(args[3]);
        long iterations = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, parallel).Select(async _ =>
        {
            while (watch.Elapsed < duration)
            {
                string sid = await InitializeAsync(url);
                await CallAsync(url, sid);
                using var delete = new HttpRequestMessage(HttpMethod.Delete, url);
                delete.Headers.Add("MCP-Session-Id", sid);
                delete.Headers.Add("MCP-Protocol-Version", "2025-11-25");
                using var response = await http.SendAsync(delete);
                Interlocked.Increment(ref iterations);
            }
        }));
        Console.WriteLine($"churn_per_second={iterations / watch.Elapsed.TotalSeconds:0} iterations={iterations}");
        break;
    }

    case "calls":
    {
        var url = new Uri(args[1]);
        int count = int.Parse(args[2]);
        int parallel = int.Parse(args[3]);
        string sid = await InitializeAsync(url);
        for (int i = 0; i < 1000; i++)
        {
            await CallAsync(url, sid);
        }

        // Two rounds: growth in the first includes warm-up (pools, caches, JIT); growth that repeats in the second is a leak.
        var start = await MemoryAsync(url);
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (_, _) => await CallAsync(url, sid));
        var middle = await MemoryAsync(url);
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (_, _) => await CallAsync(url, sid));
        var end = await MemoryAsync(url);
        Console.WriteLine($"calls={count}x2 managed={start.Managed}->{middle.Managed}->{end.Managed} growth_per_call_round1={(double)(middle.Managed - start.Managed) / count:0.0} growth_per_call_round2={(double)(end.Managed - middle.Managed) / count:0.0} rss={start.Rss}->{middle.Rss}->{end.Rss}");
        break;
    }

    case "stdio":
    {
        var duration = TimeSpan.FromSeconds(double.Parse(args[1]));
        var options = new StdioClientTransportOptions { Command = args[2] };
        foreach (string argument in args.Skip(3))
        {
            options.Arguments.Add(argument);
        }

        await using var client = await McpClient.ConnectAsync(new StdioClientTransport(options));
        var arguments = JsonSerializer.Deserialize("""{"text":"hello"}""", McpJsonContext.Default.DictionaryStringJsonElement)!;
        for (int i = 0; i < 2000; i++)
        {
            await client.CallToolAsync("echo", arguments);
        }

        long sequential = 0;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < duration)
        {
            await client.CallToolAsync("echo", arguments);
            sequential++;
        }

        double sequentialRate = sequential / watch.Elapsed.TotalSeconds;
        if (Environment.GetEnvironmentVariable("STDIO_SEQUENTIAL_ONLY") == "1")
        {
            Console.WriteLine($"stdio_sequential_per_second={sequentialRate:0}");
            break;
        }

        long concurrent = 0;
        watch.Restart();
        await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            while (watch.Elapsed < duration)
            {
                await client.CallToolAsync("echo", arguments);
                Interlocked.Increment(ref concurrent);
            }
        }));
        Console.WriteLine($"stdio_sequential_per_second={sequentialRate:0} stdio_16_in_flight_per_second={concurrent / watch.Elapsed.TotalSeconds:0}");
        break;
    }

    default:
        Console.Error.WriteLine("Unknown command.");
        return 2;
}

return 0;

async Task<string> InitializeAsync(Uri url)
{
    using var response = await PostAsync(url, Init, null);
    string sid = response.Headers.GetValues("MCP-Session-Id").First();
    await response.Content.ReadAsByteArrayAsync();
    using var initialized = await PostAsync(url, Initialized, sid);
    return sid;
}

async Task CallAsync(Uri url, string? sid)
{
    long id = Interlocked.Increment(ref nextId);
    using var response = await PostAsync(url, """{"jsonrpc":"2.0","id":ID,"method":"tools/call","params":{"name":"echo","arguments":{"text":"hello"}}}""".Replace("ID", id.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), sid);
    string body = await response.Content.ReadAsStringAsync();
    if (!response.IsSuccessStatusCode || !body.Contains("\"hello\""))
    {
        throw new InvalidOperationException($"call failed: {(int)response.StatusCode} {body}");
    }
}

async Task<HttpResponseMessage> PostAsync(Uri url, string json, string? sid)
{
    using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(json, Encoding.UTF8) };
    request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
    request.Headers.TryAddWithoutValidation("Accept", "application/json, text/event-stream");
    if (sid is not null)
    {
        request.Headers.Add("MCP-Session-Id", sid);
        request.Headers.Add("MCP-Protocol-Version", "2025-11-25");
    }

    var response = await http.SendAsync(request);
    if (!response.IsSuccessStatusCode)
    {
        throw new InvalidOperationException($"POST failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    return response;
}

async Task<(long Managed, long Rss, long Sessions)> MemoryAsync(Uri url)
{
    using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri(url, "/debug/memory")));
    var root = document.RootElement;
    return (root.GetProperty("managed").GetInt64(), root.GetProperty("rss").GetInt64(), root.GetProperty("sessions").GetInt64());
}

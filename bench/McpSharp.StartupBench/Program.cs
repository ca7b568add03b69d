using System.Diagnostics;
using System.Globalization;
using System.Text;

// Cold start and memory of stdio MCP servers, side by side.
//   McpSharp.StartupBench RUNS "label|executable arg..." ...
// Each run starts the process, writes initialize, and times the answer from Process.Start (cold start: what a client
// waits for before its first request); then one tools/call; then reads the process's resident set (VmRSS) and peak
// (VmHWM). Rows are run in turn (round-robin), RUNS times each, so drift on a shared box hits all of them alike.
// Prints a Markdown table of medians (min-max beside).
if (args.Length < 2 || !int.TryParse(args[0], CultureInfo.InvariantCulture, out int runs) || runs < 1)
{
    Console.Error.WriteLine("usage: McpSharp.StartupBench RUNS \"label|executable arg...\" ...");
    return 2;
}

var rows = args[1..].Select(a => a.Split('|', 2)).Select(p => (Label: p[0], Command: p[1].Split(' ', StringSplitOptions.RemoveEmptyEntries))).ToArray();
var samples = rows.ToDictionary(r => r.Label, _ => new List<(double Ms, double Rss, double Peak)>());
for (int run = 0; run < runs; run++)
{
    foreach (var (label, command) in rows)
    {
        samples[label].Add(await MeasureAsync(command));
    }
}

Console.WriteLine("| Server | Start to initialize answered (ms) | Resident after a call (MiB) | Peak resident (MiB) |");
Console.WriteLine("|---|---:|---:|---:|");
foreach (var (label, _) in rows)
{
    var s = samples[label];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {label} | {Median(s.Select(x => x.Ms)):F0} ({s.Min(x => x.Ms):F0}-{s.Max(x => x.Ms):F0}) | {Median(s.Select(x => x.Rss)):F1} | {Median(s.Select(x => x.Peak)):F1} |"));
}

return 0;

static async Task<(double Ms, double Rss, double Peak)> MeasureAsync(string[] command)
{
    var start = new ProcessStartInfo(command[0], command[1..])
    {
        RedirectStandardInput = true,
        RedirectStandardOutput = true,
        RedirectStandardError = true,
        StandardOutputEncoding = new UTF8Encoding(false),
    };
    var clock = Stopwatch.StartNew();
    using var process = Process.Start(start)!;
    _ = process.StandardError.ReadToEndAsync();
    await process.StandardInput.WriteAsync("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"startup-bench","version":"1"}}}""" + "\n");
    await process.StandardInput.FlushAsync();
    string? answer = await process.StandardOutput.ReadLineAsync();
    double ms = clock.Elapsed.TotalMilliseconds;
    if (answer is null || !answer.Contains("\"id\":1", StringComparison.Ordinal))
    {
        throw new InvalidOperationException($"{command[0]} did not answer initialize: {answer}");
    }

    await process.StandardInput.WriteAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}""" + "\n" +
        """{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{"message":"hi","text":"hi"}}}""" + "\n");
    await process.StandardInput.FlushAsync();
    while (await process.StandardOutput.ReadLineAsync() is { } line && !line.Contains("\"id\":2", StringComparison.Ordinal))
    {
    }

    var status = File.ReadAllLines($"/proc/{process.Id}/status");
    double Kib(string key) => double.Parse(status.First(l => l.StartsWith(key, StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    double rss = Kib("VmRSS:") / 1024, peak = Kib("VmHWM:") / 1024;
    process.StandardInput.Close();
    if (!process.WaitForExit(10_000))
    {
        process.Kill(entireProcessTree: true);
    }

    return (ms, rss, peak);
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}

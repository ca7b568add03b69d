using System.ComponentModel;
using System.Text.Json;
using McpSharp.Authoring;
using McpSharp.Protocol;
using McpSharp.Server;

namespace McpSharp.Authoring.Tests.Catalogue;

/// <summary>Units of temperature.</summary>
public enum Units
{
    Metric,
    Imperial,
}

/// <summary>A place.</summary>
/// <param name="City">The city.</param>
/// <param name="Country">ISO country code.</param>
public sealed record Place([property: Description("The city name.")] string City, string? Country = null);

public sealed class Filter
{
    [Description("Only items with this tag.")]
    public string? Tag { get; set; }

    public int Limit { get; set; } = 10;

    public required string Owner { get; init; }
}

public sealed record Forecast(string City, double Temperature, Units Units, IReadOnlyList<string> Notes);

/// <summary>One tool per parameter kind the issue names; the schema snapshot tests read their definitions.</summary>
public static class SchemaTools
{
    [McpTool, Description("Echoes the message.")]
    public static string Echo([Description("What to echo.")] string message) => message;

    [McpTool]
    public static string Primitives(bool flag, int count, long big, byte small, ulong huge, double ratio, float f, decimal money) =>
        FormattableString.Invariant($"{flag} {count} {big} {small} {huge} {ratio} {f} {money}");

    [McpTool]
    public static string Enums(Units units, Units? maybe = null) => $"{units} {maybe}";

    [McpTool]
    public static string Optional(string? note, int times = 3, string greeting = "hi", Units units = Units.Imperial, bool loud = false) =>
        $"{note ?? "-"} {times} {greeting} {units} {loud}";

    [McpTool]
    public static int Arrays(int[] numbers, List<string> words, IReadOnlyList<Place> places, HashSet<string> tags) =>
        numbers.Length + words.Count + places.Count + tags.Count;

    [McpTool]
    public static int Dictionaries(Dictionary<string, int> counts, IReadOnlyDictionary<string, Place>? places = null) => counts.Count + (places?.Count ?? 0);

    [McpTool]
    public static string Nested(Place place, Filter filter) => $"{place.City}/{place.Country}/{filter.Tag}/{filter.Limit}/{filter.Owner}";

    [McpTool]
    public static string Formats(Guid id, DateTimeOffset when, DateOnly day, Uri link) => $"{id} {when:O} {day:O} {link}";

    [McpTool]
    public static string Any(JsonElement payload) => payload.GetRawText();

    [McpTool]
    public static string Injected(string text, IProgress<ProgressNotificationValue> progress, McpRequestContext context, McpRequestContext<CallToolRequestParams> typed, CancellationToken cancellationToken)
    {
        progress.Report(new ProgressNotificationValue { Progress = 1 });
        return $"{text} {cancellationToken.CanBeCanceled} {context.RequestId} {typed.Params.Name}";
    }

    /// <summary>Gets the forecast for a place.</summary>
    /// <param name="city">The city to forecast.</param>
    /// <param name="days">How many days ahead.</param>
    [McpTool(Title = "Weather forecast", ReadOnly = true, OpenWorld = false)]
    [McpIcon("https://example.com/sun.png", MimeType = "image/png", Sizes = "48x48 96x96")]
    public static Task<Forecast> GetForecastAsync(string city, int days = 1) =>
        Task.FromResult(new Forecast(city, 21.5, Units.Metric, [$"{days} day(s)"]));

    [McpTool]
    public static int Count(string text) => text.Length;

    [McpTool]
    public static IEnumerable<ContentBlock> Blocks(string text) => [new TextContentBlock(text), ToolContent.Image([0x89, 0x50, 0x4E, 0x47, 1], "image/png")];

    [McpTool]
    public static byte[] Png() => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A];

    [McpTool]
    public static async IAsyncEnumerable<int> Stream(int upTo, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (int i = 1; i <= upTo; i++)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            yield return i;
        }
    }

    [McpTool]
    public static void Nothing()
    {
    }

    [McpTool]
    public static CallToolResult Raw() => new() { Content = [new TextContentBlock("raw")], IsError = true };

    [McpTool]
    public static string Fails() => throw new InvalidOperationException("the database is down");

    /// <summary>Mirrors its region, priority and flag in Mcp-Param-* headers (2026-07-28 over HTTP).</summary>
    [McpTool]
    public static string Route([McpHeader("Region")] string region, [McpHeader("Priority")] int priority = 1, [McpHeader("Dry-Run")] bool dryRun = false, string note = "") =>
        $"{region}/{priority}/{dryRun}/{note}";
}

/// <summary>Tools whose behaviour the binding tests observe from outside: cancellation and progress.</summary>
public static class BehaviourTools
{
    public static readonly TaskCompletionSource Started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public static readonly TaskCompletionSource<bool> Observed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [McpTool]
    public static async Task<string> WaitForCancel(CancellationToken cancellationToken)
    {
        Started.TrySetResult();
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return "not cancelled";
        }
        catch (OperationCanceledException)
        {
            Observed.TrySetResult(true);
            throw;
        }
    }

    [McpTool]
    public static async Task<int> Steps(int count, IProgress<ProgressNotificationValue> progress)
    {
        for (int i = 1; i <= count; i++)
        {
            await Task.Yield();
            progress.Report(new ProgressNotificationValue { Progress = i, Total = count, Message = $"step {i}" });
        }

        return count;
    }
}

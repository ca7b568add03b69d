using System.ComponentModel;
using System.Globalization;
using McpSharp.Authoring;
using McpSharp.Protocol;
using McpSharp.Server;

namespace EverythingServer;

/// <summary>
/// The sample's tools, written as plain methods. The McpSharp source generator turns each signature into the tool's
/// JSON Schema, binds and validates the arguments, and maps the return value to a result, all at compile time.
/// </summary>
internal static class SampleTools
{
    [McpTool(ReadOnly = true, OpenWorld = false), Description("Echoes the message back.")]
    public static string Echo([Description("Text to echo")] string message) => "Echo: " + message;

    [McpTool(ReadOnly = true, Idempotent = true, OpenWorld = false), Description("Adds two numbers.")]
    public static string Add(double a, double b) => (a + b).ToString(CultureInfo.InvariantCulture);

    /// <summary>Works for a while in steps, reporting progress; honours cancellation.</summary>
    /// <param name="duration">Seconds in all.</param>
    /// <param name="steps">Number of steps.</param>
    [McpTool]
    public static async Task<string> LongRunningOperation(IProgress<ProgressNotificationValue> progress, double duration = 10, int steps = 5, CancellationToken cancellationToken = default)
    {
        steps = Math.Max(1, steps);
        var delay = TimeSpan.FromSeconds(duration / steps);
        for (int step = 1; step <= steps; step++)
        {
            await Task.Delay(delay, cancellationToken);
            progress.Report(new ProgressNotificationValue(step, steps, $"Step {step} of {steps}"));
        }

        return $"Long running operation completed: {steps} steps in {duration} s.";
    }

    /// <summary>
    /// Writes a report as a task when the client supports tasks (2026-07-28): the call is answered at once with the
    /// task, the approval is asked for from inside it, and the report is its result.
    /// </summary>
    /// <param name="topic">What the report is about.</param>
    [McpTool(TaskSupport = McpTaskSupport.Optional)]
    public static async Task<string> WriteReport(McpRequestContext context, string topic, CancellationToken cancellationToken)
    {
        var approval = await context.ElicitAsync(new ElicitRequestParams
        {
            Message = $"Write the report on {topic}?",
            RequestedSchema = SampleData.Schema("""{"type":"object","properties":{"approver":{"type":"string","title":"Approver"}},"required":["approver"]}"""),
        });
        if (approval.Action != "accept" || approval.Content is not { } content)
        {
            return $"The report on {topic} was not written.";
        }

        await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        return $"Report on {topic}, approved by {content.GetValueOrDefault("approver")}{(context.IsTask ? ", written as a task" : string.Empty)}.";
    }

    [McpTool, Description("Sends one log message at every level; the client sees those at or above its logging/setLevel.")]
    public static async Task<string> LogMessages(McpRequestContext context)
    {
        foreach (var level in Enum.GetValues<LoggingLevel>())
        {
            await context.LogAsync(level, $"A {level.ToString().ToLowerInvariant()} message", "everything");
        }

        return "Sent one log message per level.";
    }

    [McpTool, Description("Asks the client's model to answer a prompt (sampling).")]
    public static async Task<string> SampleLlm(McpRequestContext context, string prompt, int maxTokens = 100)
    {
        var result = await context.SampleAsync(new CreateMessageRequestParams
        {
            Messages = [new SamplingMessage { Role = Role.User, Content = [new TextContentBlock(prompt)] }],
            MaxTokens = maxTokens,
        });
        string text = result.Content.OfType<TextContentBlock>().FirstOrDefault()?.Text ?? "(no text)";
        return $"LLM ({result.Model}) said: {text}";
    }

    [McpTool, Description("Asks the user for their name and age (elicitation, form mode).")]
    public static async Task<string> ElicitUser(McpRequestContext context)
    {
        var result = await context.ElicitAsync(new ElicitRequestParams
        {
            Message = "Please tell us about yourself.",
            RequestedSchema = SampleData.Schema("""{"type":"object","properties":{"name":{"type":"string","title":"Name"},"age":{"type":"integer","minimum":0,"default":30}},"required":["name"]}"""),
        });
        return result.Action == "accept" && result.Content is { } content
            ? $"Hello {content.GetValueOrDefault("name")}, age {content.GetValueOrDefault("age")}."
            : $"The user chose to {result.Action}.";
    }

    [McpTool, Description("Returns an image.")]
    public static ImageContentBlock GetImage() => new() { Data = SampleData.PngBase64, MimeType = "image/png" };

    [McpTool, Description("Returns a short audio clip.")]
    public static AudioContentBlock GetAudio() => new() { Data = SampleData.WavBase64, MimeType = "audio/wav" };

    [McpTool, Description("Returns links to resources.")]
    public static IEnumerable<ContentBlock> GetResourceLinks() =>
    [
        new TextContentBlock("Two resources you can read:"),
        new ResourceLinkBlock { Uri = "sample://static/text", Name = "static-text", MimeType = "text/plain" },
        new ResourceLinkBlock { Uri = "sample://static/binary", Name = "static-binary", MimeType = "image/png" },
    ];

    [McpTool, Description("Returns a resource embedded in the result.")]
    public static EmbeddedResourceBlock GetEmbeddedResource() =>
        new() { Resource = new TextResourceContents { Uri = "sample://static/text", MimeType = "text/plain", Text = SampleResources.StaticText } };

    /// <summary>Returns structured weather data for a city (structured output; the schema comes from <see cref="Weather"/>).</summary>
    [McpTool(ReadOnly = true)]
    public static Weather GetWeather(string city) => new(city, 21.5, "sunny");

    [McpTool, Description("Marks a resource as changed: subscribers get notifications/resources/updated.")]
    public static async Task<string> TouchResource(McpServer server, string uri)
    {
        await server.NotifyResourceUpdatedAsync(uri);
        return $"Updated {uri}.";
    }
}

/// <summary>Weather in a city.</summary>
/// <param name="City">The city.</param>
/// <param name="TemperatureC">Temperature in degrees Celsius.</param>
/// <param name="Conditions">Sky and precipitation.</param>
internal sealed record Weather(string City, double TemperatureC, string Conditions);

/// <summary>A tool on an instance: created per call from the DI scope, with its constructor's services.</summary>
internal sealed class ClockTools(TimeProvider time)
{
    [McpTool(ReadOnly = true), Description("The server's current UTC time.")]
    public string GetTime() => time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
}

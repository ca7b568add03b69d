using System.Globalization;
using System.Text.Json;
using McpSharp.Client;
using McpSharp.Protocol;

namespace McpSharp.Cli;

/// <summary>
/// Answers a server's elicitation and sampling requests by asking the person at the terminal: questions on stderr,
/// answers read line by line from stdin. Offered only when stdin is a terminal; otherwise the client declares neither
/// capability, so no server can ask (a script never hangs on a question nobody sees).
/// </summary>
internal sealed class TerminalAnswers(TextReader input, TextWriter prompt)
{
    private const int Attempts = 3;

    /// <summary>Sets the handlers on <paramref name="options"/> when stdin is a terminal.</summary>
    public static void OfferWhenInteractive(McpClientOptions options)
    {
        if (Console.IsInputRedirected)
        {
            return;
        }

        var answers = new TerminalAnswers(Console.In, Console.Error);
        options.ElicitationHandler = answers.ElicitAsync;
        options.SamplingHandler = answers.SampleAsync;
    }

    public async ValueTask<ElicitResult> ElicitAsync(ElicitRequestParams request, CancellationToken cancellationToken)
    {
        await prompt.WriteLineAsync($"The server asks: {request.Message}").ConfigureAwait(false);
        if (request.IsUrlMode)
        {
            await prompt.WriteLineAsync($"It asks you to open {request.Url}").ConfigureAwait(false);
        }

        string choice = (await AskAsync("Answer? [y]es, [n]o (decline), [c]ancel: ", cancellationToken).ConfigureAwait(false) ?? "c").Trim().ToLowerInvariant();
        if (choice is not ("y" or "yes"))
        {
            return new ElicitResult { Action = choice is "n" or "no" ? "decline" : "cancel" };
        }

        if (request.IsUrlMode || request.RequestedSchema is not { ValueKind: JsonValueKind.Object } schema || !schema.TryGetProperty("properties", out var properties))
        {
            return new ElicitResult { Action = "accept" };
        }

        var required = schema.TryGetProperty("required", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(r => r.GetString()).ToHashSet(StringComparer.Ordinal)
            : [];
        var content = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var field in properties.EnumerateObject())
        {
            var value = await AskFieldAsync(field.Name, field.Value, required.Contains(field.Name), cancellationToken).ConfigureAwait(false);
            if (value is { } answered)
            {
                content[field.Name] = answered;
            }
            else if (required.Contains(field.Name))
            {
                return new ElicitResult { Action = "cancel" };
            }
        }

        return new ElicitResult { Action = "accept", Content = content };
    }

    public async ValueTask<CreateMessageResult> SampleAsync(CreateMessageRequestParams request, CancellationToken cancellationToken)
    {
        await prompt.WriteLineAsync("The server asks for a model's reply to:").ConfigureAwait(false);
        if (request.SystemPrompt is { } system)
        {
            await prompt.WriteLineAsync($"  system: {system}").ConfigureAwait(false);
        }

        foreach (var message in request.Messages)
        {
            foreach (var block in message.Content)
            {
                await prompt.WriteLineAsync($"  {message.Role.ToString().ToLowerInvariant()}: {Output.Describe(block)}").ConfigureAwait(false);
            }
        }

        string? reply = await AskAsync("Reply as the model (an empty line refuses): ", cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(reply))
        {
            // The sampling spec's answer for a request the user turned down.
            throw new McpProtocolException(-1, "The user rejected the sampling request.");
        }

        return new CreateMessageResult { Role = Role.Assistant, Content = [new TextContentBlock(reply)], Model = "human (mcpsharp)", StopReason = "endTurn" };
    }

    // One field of a form: typed per its schema (string, number, integer, boolean, enum), its default on an empty line.
    private async Task<JsonElement?> AskFieldAsync(string name, JsonElement field, bool required, CancellationToken cancellationToken)
    {
        string type = field.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "string";
        string title = field.TryGetProperty("title", out var ti) && ti.ValueKind == JsonValueKind.String ? ti.GetString()! : name;
        string[]? choices = field.TryGetProperty("enum", out var e) && e.ValueKind == JsonValueKind.Array ? [.. e.EnumerateArray().Select(c => c.ToString())] : null;
        JsonElement? fallback = field.TryGetProperty("default", out var d) ? d.Clone() : null;
        string hint = choices is not null ? string.Join("|", choices) : type;
        string question = $"{title} ({hint}{(required ? ", required" : "")}{(fallback is { } f ? $", default {f}" : "")}): ";
        for (int attempt = 0; attempt < Attempts; attempt++)
        {
            string? line = await AskAsync(question, cancellationToken).ConfigureAwait(false);
            if (line is null)
            {
                return null;
            }

            if (line.Length == 0)
            {
                if (fallback is not null || !required)
                {
                    return fallback;
                }

                continue;
            }

            if (Parse(line, type, choices) is { } value)
            {
                return value;
            }

            await prompt.WriteLineAsync($"  not a valid {hint}").ConfigureAwait(false);
        }

        return null;
    }

    private static JsonElement? Parse(string text, string type, string[]? choices)
    {
        if (choices is not null && !choices.Contains(text, StringComparer.Ordinal))
        {
            return null;
        }

        return type switch
        {
            "integer" => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long n) ? JsonSerializer.SerializeToElement(n, McpJsonContext.Default.Int64) : null,
            "number" => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) ? JsonSerializer.SerializeToElement(x, McpJsonContext.Default.Double) : null,
            "boolean" => text.ToLowerInvariant() switch
            {
                "y" or "yes" or "true" => JsonSerializer.SerializeToElement(true, McpJsonContext.Default.Boolean),
                "n" or "no" or "false" => JsonSerializer.SerializeToElement(false, McpJsonContext.Default.Boolean),
                _ => null,
            },
            _ => JsonSerializer.SerializeToElement(text, McpJsonContext.Default.String),
        };
    }

    private async Task<string?> AskAsync(string question, CancellationToken cancellationToken)
    {
        await prompt.WriteAsync(question).ConfigureAwait(false);
        await prompt.FlushAsync(cancellationToken).ConfigureAwait(false);
        return await input.ReadLineAsync(cancellationToken).ConfigureAwait(false);
    }
}

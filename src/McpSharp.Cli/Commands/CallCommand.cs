using System.CommandLine;
using System.Text.Json;
using McpSharp.Protocol;

namespace McpSharp.Cli.Commands;

/// <summary>
/// <c>mcpsharp call TARGET TOOL key=value…</c> (or <c>--args JSON</c>): calls a tool, shows its progress on stderr,
/// prints its content (structured content as indented JSON), and exits 1 when the tool reports an error. Ctrl+C
/// cancels the call at the server.
/// </summary>
internal static class CallCommand
{
    public static Command Create(SharedOptions shared, string[]? stdio, TextWriter output, TextWriter error)
    {
        var arguments = new Option<string?>("--args") { Description = "The tool's arguments as one JSON object (instead of key=value)." };
        var (command, positionals) = shared.NewCommand("call", "Call a tool.", "TARGET TOOL [key=value...]");
        command.Add(arguments);
        command.SetAction((parsed, cancellationToken) => Runner.RunAsync(parsed, shared, positionals, stdio, target =>
        {
            string name = target.Rest.Length > 0 ? target.Rest[0] : throw new UsageException("call needs the tool's name.");
            var values = Arguments(parsed.GetValue(arguments), target.Rest[1..]);
            return (client, token) => CallAsync(client, name, values, parsed, shared, output, error, token);
        }, cancellationToken));
        return command;
    }

    private static async Task<int> CallAsync(
        McpSharp.Client.McpClient client, string name, Dictionary<string, JsonElement> values, ParseResult parsed, SharedOptions shared, TextWriter output, TextWriter error, CancellationToken token)
    {
        var result = await client.CallToolAsync(name, values, new Progress(error), parsed.GetValue(shared.Timeout), token).ConfigureAwait(false);
        if (parsed.GetValue(shared.Json))
        {
            await Output.WriteJsonAsync(output, result, McpJsonContext.Default.CallToolResult).ConfigureAwait(false);
        }
        else
        {
            var to = result.IsError == true ? error : output;
            foreach (var block in result.Content)
            {
                // A text block that is the structured content serialized (TOOL-STRUCTURED-TEXT) is shown once, below.
                if (result.StructuredContent is not { } same || !IsSerialized(block, same))
                {
                    await to.WriteLineAsync(Output.Describe(block)).ConfigureAwait(false);
                }
            }

            if (result.StructuredContent is { } structured)
            {
                await to.WriteLineAsync(Output.Json(structured, McpJsonContext.Default.JsonElement)).ConfigureAwait(false);
            }
        }

        return result.IsError == true ? ExitCodes.ToolError : ExitCodes.Ok;
    }

    private static bool IsSerialized(ContentBlock block, JsonElement structured)
    {
        if (block is not TextContentBlock { Text: { } text })
        {
            return false;
        }

        try
        {
            using var parsed = JsonDocument.Parse(text);
            return JsonElement.DeepEquals(parsed.RootElement, structured);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static Dictionary<string, JsonElement> Arguments(string? json, string[] pairs)
    {
        if (json is null)
        {
            return Positionals.KeyValues(pairs);
        }

        if (pairs.Length > 0)
        {
            throw new UsageException("Give the arguments as key=value or as --args, not both.");
        }

        try
        {
            return JsonSerializer.Deserialize(json, McpJsonContext.Default.DictionaryStringJsonElement) ?? throw new UsageException("--args must be a JSON object.");
        }
        catch (JsonException ex)
        {
            throw new UsageException("--args must be a JSON object: " + ex.Message);
        }
    }

    // Progress notifications, one line each on stderr (stdout keeps only the result).
    private sealed class Progress(TextWriter error) : IProgress<ProgressNotificationValue>
    {
        public void Report(ProgressNotificationValue value)
        {
            string amount = value.Total is { } total ? $"{value.Progress}/{total}" : $"{value.Progress}";
            error.WriteLine(value.Message is null ? $"progress {amount}" : $"progress {amount}: {value.Message}");
        }
    }
}

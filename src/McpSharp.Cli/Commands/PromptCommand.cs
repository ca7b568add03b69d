using System.CommandLine;
using McpSharp.Protocol;

namespace McpSharp.Cli.Commands;

/// <summary><c>mcpsharp prompt TARGET NAME key=value…</c>: a prompt's messages, one "role: text" each.</summary>
internal static class PromptCommand
{
    public static Command Create(SharedOptions shared, string[]? stdio, TextWriter output)
    {
        var (command, positionals) = shared.NewCommand("prompt", "Get a prompt.", "TARGET NAME [key=value...]");
        command.SetAction((parsed, cancellationToken) => Runner.RunAsync(parsed, shared, positionals, stdio, target =>
        {
            string name = target.Rest.Length > 0 ? target.Rest[0] : throw new UsageException("prompt needs the prompt's name.");

            // Prompt arguments are strings: key=value taken as written.
            var arguments = Positionals.Texts(target.Rest[1..]);

            return (client, token) => GetAsync(client, name, arguments, parsed, shared, output, token);
        }, cancellationToken));
        return command;
    }

    private static async Task<int> GetAsync(
        McpSharp.Client.McpClient client, string name, Dictionary<string, string> arguments, ParseResult parsed, SharedOptions shared, TextWriter output, CancellationToken token)
    {
        var result = await client.GetPromptAsync(name, arguments, token).ConfigureAwait(false);
        if (parsed.GetValue(shared.Json))
        {
            await Output.WriteJsonAsync(output, result, McpJsonContext.Default.GetPromptResult).ConfigureAwait(false);
            return ExitCodes.Ok;
        }

        foreach (var message in result.Messages)
        {
            await output.WriteLineAsync($"{message.Role.ToString().ToLowerInvariant()}: {Output.Describe(message.Content)}").ConfigureAwait(false);
        }

        return ExitCodes.Ok;
    }
}

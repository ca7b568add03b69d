using System.CommandLine;
using McpSharp.Cli.Commands;

namespace McpSharp.Cli;

/// <summary>The command tree: a command line parsed (a parse error is exit code 2) and run.</summary>
internal static class CliApp
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        // Everything after the first "--" is a stdio server's command line, never parsed as ours.
        int separator = Array.IndexOf(args, "--");
        string[] ours = separator < 0 ? args : args[..separator];
        string[]? stdio = separator < 0 ? null : args[(separator + 1)..];

        var shared = new SharedOptions();
        var root = new RootCommand("mcpsharp: list, call, read, listen to and audit any MCP server.\n"
            + "A target is a URL (Streamable HTTP in either era, or the legacy HTTP+SSE transport) given first,\n"
            + "or a stdio server's command line after \"--\" (mcpsharp ls -- dotnet server.dll).\n"
            + "Exit codes: 0 ok, 1 tool error, 2 usage, 3 unreachable, 4 protocol error, 5 timeout, 6 probe found a MUST failed,\n"
            + "7 sign-in failed,\n"
            + "130 interrupted.")
        {
            ListCommand.Create(shared, stdio, output),
            CallCommand.Create(shared, stdio, output, error),
            ReadCommand.Create(shared, stdio, output),
            PromptCommand.Create(shared, stdio, output),
            ListenCommand.Create(shared, stdio, output),
            Probe.ProbeCommand.Create(shared, output),
        };

        var parsed = root.Parse(ours);
        if (parsed.Errors.Count > 0)
        {
            foreach (var problem in parsed.Errors)
            {
                await error.WriteLineAsync(problem.Message).ConfigureAwait(false);
            }

            return ExitCodes.Usage;
        }

        return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }).ConfigureAwait(false);
    }
}

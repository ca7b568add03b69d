using System.Diagnostics;
using System.Text;

namespace McpSharp.Cli.Tests;

/// <summary>
/// A server's elicitation and sampling requests, answered by the person at the terminal: the installed tool runs under
/// a pseudo-terminal (script(1)), the test reads each question and types the answer. Without a terminal the tool
/// declares neither capability, so the server cannot ask.
/// </summary>
[Collection(InstalledToolGroup.Name)]
public sealed class TerminalTests(InstalledTool tool)
{
    private static string[] Stdio(params string[] arguments) => [.. arguments, "--", .. SampleHttpServer.StdioCommand];

    [Fact]
    public async Task An_elicitation_is_a_form_answered_field_by_field_with_defaults()
    {
        await using var terminal = Terminal.Start(tool, Stdio("call", "elicit_user"));

        await terminal.ExpectAsync("The server asks: Please tell us about yourself.");
        await terminal.AnswerAsync("Answer? [y]es, [n]o (decline), [c]ancel: ", "y");
        await terminal.AnswerAsync("Name (string, required): ", "Bob");
        await terminal.AnswerAsync("age (integer, default 30): ", "forty");
        await terminal.AnswerAsync("not a valid integer", "");
        await terminal.ExpectAsync("Hello Bob, age 30.");
        Assert.Equal(0, await terminal.ExitAsync());
    }

    [Fact]
    public async Task Declining_an_elicitation_tells_the_tool_so()
    {
        await using var terminal = Terminal.Start(tool, Stdio("call", "elicit_user"));

        await terminal.AnswerAsync("Answer? [y]es, [n]o (decline), [c]ancel: ", "n");
        await terminal.ExpectAsync("The user chose to decline.");
        Assert.Equal(0, await terminal.ExitAsync());
    }

    [Fact]
    public async Task A_sampling_request_shows_the_messages_and_takes_the_reply_typed()
    {
        await using var terminal = Terminal.Start(tool, Stdio("call", "sample_llm", "prompt=What is six times seven?"));

        await terminal.ExpectAsync("  user: What is six times seven?");
        await terminal.AnswerAsync("Reply as the model (an empty line refuses): ", "Forty-two");
        await terminal.ExpectAsync("LLM (human (mcpsharp)) said: Forty-two");
        Assert.Equal(0, await terminal.ExitAsync());
    }

    [Fact]
    public async Task Without_a_terminal_the_server_cannot_ask()
    {
        var (exit, _, error) = await tool.RunAsync(Stdio("call", "elicit_user"));

        Assert.Equal(4, exit);
        Assert.Contains("'elicitation'", error, StringComparison.Ordinal);
    }

    // The tool under script(1): stdin and stdout a pseudo-terminal, as in a terminal window.
    private sealed class Terminal : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _seen = new();
        private readonly char[] _buffer = new char[256];
        private int _matched;

        private Terminal(Process process) => _process = process;

        public static Terminal Start(InstalledTool tool, string[] arguments)
        {
            string command = string.Join(' ', new[] { tool.Command }.Concat(arguments).Select(a => "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
            var start = new ProcessStartInfo("script") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string argument in (string[])["-qec", command, "/dev/null"])
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment["DOTNET_ROOT"] = InstalledTool.DotnetRoot();
            return new Terminal(Process.Start(start)!);
        }

        /// <summary>Reads what the terminal shows until <paramref name="text"/> appears (after what was matched before).</summary>
        public async Task ExpectAsync(string text)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            while (true)
            {
                int at = _seen.ToString().IndexOf(text, _matched, StringComparison.Ordinal);
                if (at >= 0)
                {
                    _matched = at + text.Length;
                    return;
                }

                int read = await _process.StandardOutput.ReadAsync(_buffer, timeout.Token);
                if (read == 0)
                {
                    throw new InvalidOperationException($"The terminal closed before '{text}' appeared; it showed:\n{_seen}");
                }

                _seen.Append(_buffer, 0, read);
            }
        }

        public async Task AnswerAsync(string question, string answer)
        {
            await ExpectAsync(question);
            await _process.StandardInput.WriteAsync(answer + "\n");
            await _process.StandardInput.FlushAsync();
        }

        public async Task<int> ExitAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            await _process.WaitForExitAsync(timeout.Token);
            return _process.ExitCode;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
        }
    }
}

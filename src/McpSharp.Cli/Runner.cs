using System.CommandLine;
using System.ComponentModel;
using System.Text.Json;
using McpSharp.Client;
using McpSharp.Protocol;
using McpSharp.Transports.Http;

namespace McpSharp.Cli;

/// <summary>
/// Runs a command against its target: its plan reads the rest of the command line (a usage error stops it before
/// anything is started), then its work runs on the connected client; every outcome becomes an exit code and one line
/// on stderr.
/// </summary>
internal static class Runner
{
    public static async Task<int> RunAsync(
        ParseResult parsed,
        SharedOptions shared,
        Argument<string[]> positionals,
        string[]? stdio,
        Func<Target, Func<McpClient, CancellationToken, Task<int>>> plan,
        CancellationToken cancellationToken)
    {
        var error = parsed.InvocationConfiguration.Error;
        try
        {
            // The command line is checked whole (plan) before anything is started or sent.
            using var target = Target.From(parsed.GetValue(positionals) ?? [], stdio);
            var work = plan(target);
            var options = new McpClientOptions();
            TerminalAnswers.OfferWhenInteractive(options);
            await using var client = await target.ConnectAsync(parsed, shared, options, cancellationToken).ConfigureAwait(false);
            return await work(client, cancellationToken).ConfigureAwait(false);
        }
        catch (UsageException ex)
        {
            return await FailAsync(error, ExitCodes.Usage, ex.Message).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return await FailAsync(error, ExitCodes.Cancelled, "Interrupted; the request was cancelled.").ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            return await FailAsync(error, ExitCodes.Timeout, ex.Message).ConfigureAwait(false);
        }
        catch (McpPeerException ex)
        {
            return await FailAsync(error, ExitCodes.ProtocolError, $"The server answered error {ex.ErrorCode}: {ex.Message}").ConfigureAwait(false);
        }
        catch (McpProtocolException ex)
        {
            return await FailAsync(error, ExitCodes.ProtocolError, $"Error {ex.ErrorCode}: {ex.Message}").ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            return await FailAsync(error, ExitCodes.ProtocolError, "The server's answer is not what MCP says: " + ex.Message).ConfigureAwait(false);
        }
        catch (McpAuthorizationException ex)
        {
            return await FailAsync(error, ExitCodes.SignInFailed, "Sign-in failed: " + ex.Message).ConfigureAwait(false);
        }
        catch (McpHttpException ex)
        {
            return await FailAsync(error, ExitCodes.Unreachable, $"HTTP {ex.StatusCode}: {ex.Message}").ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or Win32Exception)
        {
            return await FailAsync(error, ExitCodes.Unreachable, ex.Message).ConfigureAwait(false);
        }
    }

    private static async Task<int> FailAsync(TextWriter error, int code, string message)
    {
        await error.WriteLineAsync("mcpsharp: " + message).ConfigureAwait(false);
        return code;
    }
}

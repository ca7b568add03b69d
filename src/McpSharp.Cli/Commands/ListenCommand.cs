using System.CommandLine;
using System.Text.Json;
using System.Threading.Channels;
using McpSharp.Client;
using McpSharp.JsonRpc;
using McpSharp.Protocol;

namespace McpSharp.Cli.Commands;

/// <summary>
/// <c>mcpsharp listen TARGET</c>: the server's notifications as they come, one line each (<c>method params</c>): list
/// changes, updates of the resources given with <c>--subscribe</c>, and (in a 2025 session) log messages at or above
/// <c>--level</c>. In revision 2026-07-28 through <c>subscriptions/listen</c>, in a 2025 session on its own stream.
/// Runs until Ctrl+C (exit 0).
/// </summary>
internal static class ListenCommand
{
    public static Command Create(SharedOptions shared, string[]? stdio, TextWriter output)
    {
        var (command, positionals) = shared.NewCommand("listen", "Print the server's notifications as they come, until Ctrl+C.", "TARGET");
        var subscribe = new Option<string[]>("--subscribe") { Description = "A resource URI whose updates to receive (repeatable)." };
        var level = new Option<LoggingLevel?>("--level") { Description = "Ask for log messages at or above this level (2025 sessions)." };
        command.Add(subscribe);
        command.Add(level);
        command.SetAction((parsed, cancellationToken) => Runner.RunAsync(parsed, shared, positionals, stdio, target =>
        {
            if (target.Rest.Length > 0)
            {
                throw new UsageException("listen takes only a target.");
            }

            string[] uris = parsed.GetValue(subscribe) ?? [];
            var minimum = parsed.GetValue(level);
            return async (client, token) =>
            {
                var error = parsed.InvocationConfiguration.Error;
                try
                {
                    if (client.ProtocolVersion == ProtocolVersions.V20260728)
                    {
                        await ListenModernAsync(client, uris, output, error, token).ConfigureAwait(false);
                    }
                    else
                    {
                        await ListenSessionAsync(client, uris, minimum, output, error, token).ConfigureAwait(false);
                    }
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    // Ctrl+C: the way listening ends.
                }

                return ExitCodes.Ok;
            };
        }, cancellationToken));
        return command;
    }

    private static async Task ListenModernAsync(McpClient client, string[] uris, TextWriter output, TextWriter error, CancellationToken token)
    {
        var filter = new SubscriptionFilter { ToolsListChanged = true, PromptsListChanged = true, ResourcesListChanged = true, ResourceSubscriptions = uris.Length > 0 ? uris : null };
        bool acknowledged = false;
        await foreach (var notification in client.ListenAsync(filter, token).ConfigureAwait(false))
        {
            // The first is the server's acknowledgement of the filter: from then on, changes are being sent.
            if (!acknowledged)
            {
                acknowledged = true;
                await error.WriteLineAsync($"listening ({client.ProtocolVersion}, subscriptions/listen)").ConfigureAwait(false);
                continue;
            }

            await output.WriteLineAsync(Line(notification.Method, notification.Params.Raw.IsEmpty ? null : System.Text.Encoding.UTF8.GetString(notification.Params.Raw.Span))).ConfigureAwait(false);
        }
    }

    private static async Task ListenSessionAsync(McpClient client, string[] uris, LoggingLevel? minimum, TextWriter output, TextWriter error, CancellationToken token)
    {
        var lines = Channel.CreateBounded<string>(new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest });
        client.ListChanged += (_, method) => lines.Writer.TryWrite(Line(method, null));
        client.ResourceUpdated += (_, updated) => lines.Writer.TryWrite(Line(McpMethods.NotificationsResourcesUpdated, Output.Json(updated, McpJsonContext.Default.ResourceUpdatedNotificationParams, indented: false)));
        client.LogMessageReceived += (_, message) => lines.Writer.TryWrite(Line(McpMethods.NotificationsMessage, Output.Json(message, McpJsonContext.Default.LoggingMessageNotificationParams, indented: false)));
        foreach (string uri in uris)
        {
            await client.SubscribeAsync(uri, token).ConfigureAwait(false);
        }

        if (minimum is { } level)
        {
            await client.SetLoggingLevelAsync(level, token).ConfigureAwait(false);
        }

        await error.WriteLineAsync($"listening ({client.ProtocolVersion}, session)").ConfigureAwait(false);
        await foreach (string line in lines.Reader.ReadAllAsync(token).ConfigureAwait(false))
        {
            await output.WriteLineAsync(line).ConfigureAwait(false);
        }
    }

    private static string Line(string method, string? parameters) => parameters is null ? method : method + " " + parameters;
}

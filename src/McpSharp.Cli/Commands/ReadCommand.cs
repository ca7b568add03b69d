using System.CommandLine;
using McpSharp.Protocol;

namespace McpSharp.Cli.Commands;

/// <summary><c>mcpsharp read TARGET URI</c>: a resource's contents (text as is, binary described).</summary>
internal static class ReadCommand
{
    public static Command Create(SharedOptions shared, string[]? stdio, TextWriter output)
    {
        var (command, positionals) = shared.NewCommand("read", "Read a resource.", "TARGET URI");
        command.SetAction((parsed, cancellationToken) => Runner.RunAsync(parsed, shared, positionals, stdio, target => target.Rest.Length != 1 ? throw new UsageException("read needs exactly one resource URI.") : async (client, token) =>
        {
            var result = await client.ReadResourceAsync(target.Rest[0], token).ConfigureAwait(false);
            if (parsed.GetValue(shared.Json))
            {
                await Output.WriteJsonAsync(output, result, McpJsonContext.Default.ReadResourceResult).ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            foreach (var contents in result.Contents)
            {
                await output.WriteLineAsync(contents switch
                {
                    TextResourceContents text => text.Text,
                    BlobResourceContents blob => $"[{contents.Uri}: {blob.MimeType ?? "binary"}, {Output.Base64Bytes(blob.Blob)} bytes; --json for the base64]",
                    _ => Output.Json(contents, McpJsonContext.Default.ResourceContents),
                }).ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }
}

using System.CommandLine;
using McpSharp.Protocol;
using Spectre.Console;

namespace McpSharp.Cli.Commands;

/// <summary><c>mcpsharp ls TARGET</c>: every page of the server's tools, resources, resource templates and prompts.</summary>
internal static class ListCommand
{
    public static Command Create(SharedOptions shared, string[]? stdio, TextWriter output)
    {
        var (command, positionals) = shared.NewCommand("ls", "List the server's tools, resources, resource templates and prompts.", "TARGET");
        command.SetAction((parsed, cancellationToken) => Runner.RunAsync(parsed, shared, positionals, stdio, target => target.Rest.Length > 0 ? throw new UsageException("ls takes only a target.") : async (client, token) =>
        {
            var capabilities = client.ServerCapabilities;
            List<Tool> tools = capabilities.Tools is null ? [] : await client.EnumerateToolsAsync(token).ToListAsync(token).ConfigureAwait(false);
            List<Resource> resources = capabilities.Resources is null ? [] : await client.EnumerateResourcesAsync(token).ToListAsync(token).ConfigureAwait(false);
            List<ResourceTemplate> templates = capabilities.Resources is null ? [] : await client.EnumerateResourceTemplatesAsync(token).ToListAsync(token).ConfigureAwait(false);
            List<Prompt> prompts = capabilities.Prompts is null ? [] : await client.EnumeratePromptsAsync(token).ToListAsync(token).ConfigureAwait(false);
            if (parsed.GetValue(shared.Json))
            {
                await Output.WriteJsonObjectAsync(
                    output,
                    ("tools", w => System.Text.Json.JsonSerializer.Serialize(w, tools, McpJsonContext.Default.IListTool)),
                    ("resources", w => System.Text.Json.JsonSerializer.Serialize(w, resources, McpJsonContext.Default.IListResource)),
                    ("resourceTemplates", w => System.Text.Json.JsonSerializer.Serialize(w, templates, McpJsonContext.Default.IListResourceTemplate)),
                    ("prompts", w => System.Text.Json.JsonSerializer.Serialize(w, prompts, McpJsonContext.Default.IListPrompt))).ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            var console = Output.Console(output);
            console.Write(Table($"Tools ({tools.Count})", ["Name", "Description"], tools.Select(t => new[] { t.Name, t.Description ?? "" })));
            console.Write(Table($"Resources ({resources.Count})", ["URI", "Name", "MIME type"], resources.Select(r => new[] { r.Uri, r.Name, r.MimeType ?? "" })));
            console.Write(Table($"Resource templates ({templates.Count})", ["URI template", "Name"], templates.Select(r => new[] { r.UriTemplate, r.Name })));
            console.Write(Table($"Prompts ({prompts.Count})", ["Name", "Arguments", "Description"], prompts.Select(p => new[]
            {
                p.Name,
                string.Join(", ", (p.Arguments ?? []).Select(a => a.Required == true ? a.Name + "*" : a.Name)),
                p.Description ?? "",
            })));
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static Table Table(string title, string[] columns, IEnumerable<string[]> rows)
    {
        var table = new Table { Title = new TableTitle(title), Border = TableBorder.Rounded };
        foreach (string column in columns)
        {
            table.AddColumn(column);
        }

        foreach (string[] row in rows)
        {
            table.AddRow([.. row.Select(cell => new Markup(Markup.Escape(cell)))]);
        }

        return table;
    }
}

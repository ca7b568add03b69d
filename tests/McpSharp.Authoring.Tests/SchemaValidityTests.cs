using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpSharp.Authoring.Tests.Catalogue;
using McpSharp.Authoring.Tests.TestSupport;
using McpSharp.Tests.TestSupport;

namespace McpSharp.Authoring.Tests;

/// <summary>
/// Every generated schema is checked against the JSON Schema 2020-12 meta-schema by Ajv (an independent
/// implementation, strict mode), and every structured result against its tool's own <c>outputSchema</c>.
/// </summary>
public sealed class SchemaValidityTests
{
    [Fact]
    public async Task Generated_schemas_are_valid_2020_12_and_structured_results_match_their_output_schema()
    {
        await using var peer = await Connected.StartAsync(static s => s.AddTools(typeof(SchemaTools)).AddTools(typeof(BehaviourTools)));
        var schemas = new JsonArray();
        var instances = new JsonArray();
        foreach (var tool in peer.Server.Tools.Items)
        {
            schemas.Add(new JsonObject { ["name"] = tool.Definition.Name + ".input", ["schema"] = JsonNode.Parse(tool.Definition.InputSchema.GetRawText()) });
            if (tool.Definition.OutputSchema is { } output)
            {
                schemas.Add(new JsonObject { ["name"] = tool.Definition.Name + ".output", ["schema"] = JsonNode.Parse(output.GetRawText()) });
            }
        }

        foreach (var (tool, arguments) in new[] { ("get_forecast", """{"city":"Oslo"}"""), ("count", """{"text":"abc"}"""), ("stream", """{"upTo":2}"""), ("arrays", """{"numbers":[],"words":[],"places":[],"tags":[]}""") })
        {
            var result = await peer.CallAsync(tool, arguments);
            Assert.True(peer.Server.Tools.TryGet(tool, out var entry));
            instances.Add(new JsonObject
            {
                ["name"] = tool + ".result",
                ["schema"] = JsonNode.Parse(entry.Definition.OutputSchema!.Value.GetRawText()),
                ["instance"] = JsonNode.Parse(result.StructuredContent!.Value.GetRawText()),
            });
        }

        // Controls: the checker must catch a broken schema and a non-conforming instance, or it proves nothing.
        schemas.Add(new JsonObject { ["name"] = "control.schema", ["schema"] = JsonNode.Parse("""{"type":"objekt"}""") });
        instances.Add(new JsonObject { ["name"] = "control.instance", ["schema"] = JsonNode.Parse(peer.Server.Tools.Items.First(t => t.Definition.Name == "get_forecast").Definition.OutputSchema!.Value.GetRawText()), ["instance"] = JsonNode.Parse("""{"city":1}""") });

        var (problems, checkedCount) = await ValidateAsync(new JsonObject { ["schemas"] = schemas, ["instances"] = instances });
        Assert.Equal(schemas.Count + instances.Count, checkedCount);
        Assert.Equal(["control.instance", "control.schema"], problems.Keys.Order(StringComparer.Ordinal));
    }

    private static async Task<(Dictionary<string, string> Problems, int Checked)> ValidateAsync(JsonObject input)
    {
        await NodeInterop.EnsureInstalledAsync();
        var start = new ProcessStartInfo("node", ["validate-schemas.mjs"])
        {
            WorkingDirectory = NodeInterop.Folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var node = Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
        await node.StandardInput.WriteAsync(input.ToJsonString());
        node.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        string output = await node.StandardOutput.ReadToEndAsync(timeout.Token);
        string error = await node.StandardError.ReadToEndAsync(timeout.Token);
        await node.WaitForExitAsync(timeout.Token);
        Assert.True(node.ExitCode == 0, error);
        var problems = new Dictionary<string, string>();
        int count = -1;
        foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("DONE ", StringComparison.Ordinal))
            {
                count = int.Parse(line[5..], System.Globalization.CultureInfo.InvariantCulture);
                continue;
            }

            using var problem = JsonDocument.Parse(line);
            problems[problem.RootElement.GetProperty("name").GetString()!] = problem.RootElement.GetProperty("errors").GetString()!;
        }

        return (problems, count);
    }
}

using McpSharp.Authoring.Tests.Catalogue;
using McpSharp.Server;

namespace McpSharp.Authoring.Tests;

/// <summary>
/// The exact schemas the generator emits for each parameter kind of the catalogue (primitives, enums as strings,
/// nullable and optional parameters with defaults, arrays, sets, dictionaries, nested records and classes, formats,
/// descriptions from attributes and XML docs). Each row was read against JSON Schema 2020-12 when it was written;
/// <see cref="SchemaValidityTests"/> checks them all against the 2020-12 meta-schema with Ajv.
/// </summary>
public sealed class SchemaSnapshotTests
{
    private static readonly McpServer Server = new McpServer().AddTools(typeof(SchemaTools));

    [Theory]
    [InlineData("any",
        "{\"type\":\"object\",\"properties\":{\"payload\":{}},\"required\":[\"payload\"]}",
        null)]
    [InlineData("arrays",
        "{\"type\":\"object\",\"properties\":{\"numbers\":{\"type\":\"array\",\"items\":{\"type\":\"integer\"}},\"words\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},\"places\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\",\"description\":\"The city name.\"},\"country\":{\"type\":[\"string\",\"null\"],\"description\":\"ISO country code.\"}},\"required\":[\"city\"]}},\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"uniqueItems\":true}},\"required\":[\"numbers\",\"words\",\"places\",\"tags\"]}",
        "{\"type\":\"object\",\"properties\":{\"result\":{\"type\":\"integer\"}},\"required\":[\"result\"]}")]
    [InlineData("blocks",
        "{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\"}},\"required\":[\"text\"]}",
        null)]
    [InlineData("count",
        "{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\"}},\"required\":[\"text\"]}",
        "{\"type\":\"object\",\"properties\":{\"result\":{\"type\":\"integer\"}},\"required\":[\"result\"]}")]
    [InlineData("dictionaries",
        "{\"type\":\"object\",\"properties\":{\"counts\":{\"type\":\"object\",\"additionalProperties\":{\"type\":\"integer\"}},\"places\":{\"type\":[\"object\",\"null\"],\"additionalProperties\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\",\"description\":\"The city name.\"},\"country\":{\"type\":[\"string\",\"null\"],\"description\":\"ISO country code.\"}},\"required\":[\"city\"]},\"default\":null}},\"required\":[\"counts\"]}",
        "{\"type\":\"object\",\"properties\":{\"result\":{\"type\":\"integer\"}},\"required\":[\"result\"]}")]
    [InlineData("echo",
        "{\"type\":\"object\",\"properties\":{\"message\":{\"type\":\"string\",\"description\":\"What to echo.\"}},\"required\":[\"message\"]}",
        null)]
    [InlineData("enums",
        "{\"type\":\"object\",\"properties\":{\"units\":{\"type\":\"string\",\"enum\":[\"Metric\",\"Imperial\"]},\"maybe\":{\"type\":[\"string\",\"null\"],\"enum\":[\"Metric\",\"Imperial\",null],\"default\":null}},\"required\":[\"units\"]}",
        null)]
    [InlineData("fails",
        "{\"type\":\"object\",\"properties\":{}}",
        null)]
    [InlineData("formats",
        "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\",\"format\":\"uuid\"},\"when\":{\"type\":\"string\",\"format\":\"date-time\"},\"day\":{\"type\":\"string\",\"format\":\"date\"},\"link\":{\"type\":\"string\",\"format\":\"uri\"}},\"required\":[\"id\",\"when\",\"day\",\"link\"]}",
        null)]
    [InlineData("get_forecast",
        "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\",\"description\":\"The city to forecast.\"},\"days\":{\"type\":\"integer\",\"description\":\"How many days ahead.\",\"default\":1}},\"required\":[\"city\"]}",
        "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},\"temperature\":{\"type\":\"number\"},\"units\":{\"type\":\"string\",\"enum\":[\"Metric\",\"Imperial\"]},\"notes\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}},\"required\":[\"city\",\"temperature\",\"units\",\"notes\"]}")]
    [InlineData("injected",
        "{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\"}},\"required\":[\"text\"]}",
        null)]
    [InlineData("nested",
        "{\"type\":\"object\",\"properties\":{\"place\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\",\"description\":\"The city name.\"},\"country\":{\"type\":[\"string\",\"null\"],\"description\":\"ISO country code.\"}},\"required\":[\"city\"]},\"filter\":{\"type\":\"object\",\"properties\":{\"tag\":{\"type\":[\"string\",\"null\"],\"description\":\"Only items with this tag.\"},\"limit\":{\"type\":\"integer\"},\"owner\":{\"type\":\"string\"}},\"required\":[\"owner\"]}},\"required\":[\"place\",\"filter\"]}",
        null)]
    [InlineData("nothing",
        "{\"type\":\"object\",\"properties\":{}}",
        null)]
    [InlineData("optional",
        "{\"type\":\"object\",\"properties\":{\"note\":{\"type\":[\"string\",\"null\"]},\"times\":{\"type\":\"integer\",\"default\":3},\"greeting\":{\"type\":\"string\",\"default\":\"hi\"},\"units\":{\"type\":\"string\",\"enum\":[\"Metric\",\"Imperial\"],\"default\":\"Imperial\"},\"loud\":{\"type\":\"boolean\",\"default\":false}}}",
        null)]
    [InlineData("png",
        "{\"type\":\"object\",\"properties\":{}}",
        null)]
    [InlineData("primitives",
        "{\"type\":\"object\",\"properties\":{\"flag\":{\"type\":\"boolean\"},\"count\":{\"type\":\"integer\"},\"big\":{\"type\":\"integer\"},\"small\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":255},\"huge\":{\"type\":\"integer\",\"minimum\":0},\"ratio\":{\"type\":\"number\"},\"f\":{\"type\":\"number\"},\"money\":{\"type\":\"number\"}},\"required\":[\"flag\",\"count\",\"big\",\"small\",\"huge\",\"ratio\",\"f\",\"money\"]}",
        null)]
    [InlineData("raw",
        "{\"type\":\"object\",\"properties\":{}}",
        null)]
    [InlineData("route",
        "{\"type\":\"object\",\"properties\":{\"region\":{\"type\":\"string\",\"x-mcp-header\":\"Region\"},\"priority\":{\"type\":\"integer\",\"x-mcp-header\":\"Priority\",\"default\":1},\"dryRun\":{\"type\":\"boolean\",\"x-mcp-header\":\"Dry-Run\",\"default\":false},\"note\":{\"type\":\"string\",\"default\":\"\"}},\"required\":[\"region\"]}",
        null)]
    [InlineData("stream",
        "{\"type\":\"object\",\"properties\":{\"upTo\":{\"type\":\"integer\"}},\"required\":[\"upTo\"]}",
        "{\"type\":\"object\",\"properties\":{\"result\":{\"type\":\"array\",\"items\":{\"type\":\"integer\"}}},\"required\":[\"result\"]}")]
    public void Tool_schemas_match_the_snapshot(string tool, string inputSchema, string? outputSchema)
    {
        Assert.True(Server.Tools.TryGet(tool, out var entry), tool);
        Assert.Equal(inputSchema, entry.Definition.InputSchema.GetRawText());
        Assert.Equal(outputSchema, entry.Definition.OutputSchema?.GetRawText());
    }

    [Fact]
    public void Every_catalogue_tool_has_a_snapshot_row()
    {
        Assert.Equal(19, Server.Tools.Count);
    }

    [Fact]
    public void Names_titles_descriptions_annotations_and_icons_come_from_attributes_and_docs()
    {
        Assert.True(Server.Tools.TryGet("get_forecast", out var forecast));
        var tool = forecast.Definition;
        Assert.Equal("Weather forecast", tool.Title);
        Assert.Equal("Gets the forecast for a place.", tool.Description);
        Assert.True(tool.Annotations!.ReadOnlyHint);
        Assert.False(tool.Annotations.OpenWorldHint);
        Assert.Null(tool.Annotations.DestructiveHint);
        Assert.Null(tool.Annotations.IdempotentHint);
        var icon = Assert.Single(tool.Icons!);
        Assert.Equal("https://example.com/sun.png", icon.Src);
        Assert.Equal("image/png", icon.MimeType);
        Assert.Equal(["48x48", "96x96"], icon.Sizes!);

        Assert.True(Server.Tools.TryGet("echo", out var echo));
        Assert.Equal("Echoes the message.", echo.Definition.Description);
        Assert.Null(echo.Definition.Annotations);
    }
}

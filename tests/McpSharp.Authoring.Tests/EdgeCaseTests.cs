using McpSharp.Authoring.Tests.Catalogue;
using McpSharp.Authoring.Tests.TestSupport;
using McpSharp.Protocol;
using McpSharp.Server;

namespace McpSharp.Authoring.Tests;

/// <summary>Regression tests for what the review of the generator found.</summary>
public sealed class EdgeCaseTests : IAsyncLifetime
{
    private Connected _peer = null!;

    public async Task InitializeAsync() => _peer = await Connected.StartAsync(static s => s.AddTools(typeof(EdgeTools)).AddResources(typeof(EdgeTools)).AddPrompts(typeof(EdgeTools)).AddTools<TwoConstructors>());

    public async Task DisposeAsync() => await _peer.DisposeAsync();

    [Fact]
    public async Task An_enum_with_an_alias_reads_both_names_and_writes_the_first_declared()
    {
        Assert.Equal("""{"result":"Normal"}""", (await _peer.CallAsync("prioritize", """{"priority":"Default"}""")).StructuredContent!.Value.GetRawText());
        Assert.True(_peer.Server.Tools.TryGet("prioritize", out var tool));
        Assert.Contains("\"enum\":[\"Low\",\"Normal\",\"High\",\"Default\"]", tool.Definition.InputSchema.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Absent_init_only_properties_keep_their_initializer_values()
    {
        Assert.Equal("10 asc", Results.Text(await _peer.CallAsync("page", """{"paging":{}}""")));
        Assert.Equal("5 asc", Results.Text(await _peer.CallAsync("page", """{"paging":{"limit":5}}""")));
    }

    [Fact]
    public async Task Lists_of_nullable_and_non_nullable_elements_are_read_by_their_own_rules()
    {
        Assert.Equal("""{"result":3}""", Results.Text(await _peer.CallAsync("lists", """{"names":["a","b"],"maybeNames":[null,"c"]}""")));
        Assert.Equal("Invalid arguments for tool 'lists': 'names[0]' must be a string.", Results.Text(await _peer.CallAsync("lists", """{"names":[null],"maybeNames":[]}""")));
    }

    [Fact]
    public async Task A_null_where_the_output_schema_promises_an_object_is_a_tool_error()
    {
        Assert.Equal("""{"city":"Oslo","country":null}""", (await _peer.CallAsync("maybe_place", """{"give":true}""")).StructuredContent!.Value.GetRawText());
        var none = await _peer.CallAsync("maybe_place", """{"give":false}""");
        Assert.True(none.IsError);
        Assert.Equal("Tool 'maybe_place' returned no value.", Results.Text(none));
    }

    [Fact]
    public async Task Values_outside_what_the_schema_allows_are_refused()
    {
        Assert.Equal(
            "Invalid arguments for tool 'values': 'when' must be a date-time string (RFC 3339); 'unique[2]' repeats an earlier item; "
            + "'ratio' must be a number within the range of a 32-bit float; 'link' must be an absolute URI.",
            Results.Text(await _peer.CallAsync("values", """{"when":"2026-11-21T10:00:00","unique":[1,2,1],"ratio":1e300,"big":1.0,"link":"/etc/passwd"}""")));
        Assert.Equal(
            "2026-11-21T10:00:00.0000000+00:00 2 0.5 18446744073709551615 https://example.com/",
            Results.Text(await _peer.CallAsync("values", """{"when":"2026-11-21T10:00:00Z","unique":[1,2],"ratio":0.5,"big":18446744073709551615,"link":"https://example.com/"}""")));
        Assert.StartsWith("2026-11-21T10:00:00.0000000+00:00 0 1 1 ", Results.Text(await _peer.CallAsync("values", """{"when":"2026-11-21T10:00:00Z","unique":[],"ratio":1,"big":1.0,"link":"file:///tmp/x"}""")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Optional_template_parts_bind_defaults_and_a_missing_required_one_is_not_found()
    {
        Assert.Equal("x 2", Text(await _peer.Client.ReadResourceAsync("edge://search?q=x&page=2")));
        Assert.Equal("- 1", Text(await _peer.Client.ReadResourceAsync("edge://search")));
        Assert.Equal("a 3", Text(await _peer.Client.ReadResourceAsync("edge://item/a?rev=3")));
        var error = await Assert.ThrowsAsync<McpProtocolException>(() => _peer.Client.ReadResourceAsync("edge://item/a"));
        // The client speaks 2026-07-28 by default, where a resource that is not there is -32602 (-32002 in 2025).
        Assert.True(_peer.Client.IsPerRequest);
        Assert.Equal(McpErrorCodes.InvalidParams, error.ErrorCode);
    }

    [Fact]
    public async Task Prompt_enum_arguments_take_names_not_numbers()
    {
        var prompt = await _peer.Client.GetPromptAsync("rank", new Dictionary<string, string> { ["priority"] = "high" });
        Assert.Equal("High", ((TextContentBlock)prompt.Messages[0].Content).Text);
        var error = await Assert.ThrowsAsync<McpProtocolException>(() => _peer.Client.GetPromptAsync("rank", new Dictionary<string, string> { ["priority"] = "2" }));
        Assert.Equal(McpErrorCodes.InvalidParams, error.ErrorCode);
        Assert.Contains("one of: Low, Normal, High, Default", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_container_the_parameterless_constructor_is_used()
    {
        Assert.Equal("parameterless", Results.Text(await _peer.CallAsync("who")));
    }

    private static string Text(ReadResourceResult result) => ((TextResourceContents)Assert.Single(result.Contents)).Text;
}

using System.Text.Json;
using McpSharp.Authoring.Tests.Catalogue;
using McpSharp.Authoring.Tests.TestSupport;
using McpSharp.Protocol;
using McpSharp.Server;

namespace McpSharp.Authoring.Tests;

/// <summary>Calls through the generated code over a real client/server pair: binding, defaults, validation, results.</summary>
public sealed class BindingTests : IAsyncLifetime
{
    private Connected _peer = null!;

    public async Task InitializeAsync() => _peer = await Connected.StartAsync(static s => s.AddTools(typeof(SchemaTools)).AddTools(typeof(BehaviourTools)));

    public async Task DisposeAsync() => await _peer.DisposeAsync();

    private async Task<string> Ok(string tool, string arguments)
    {
        var result = await _peer.CallAsync(tool, arguments);
        Assert.NotEqual(true, result.IsError);
        return Results.Text(result);
    }

    private async Task<string> Invalid(string tool, string arguments)
    {
        var result = await _peer.CallAsync(tool, arguments);
        Assert.True(result.IsError);
        return Results.Text(result);
    }

    [Fact]
    public async Task Arguments_bind_to_parameters_of_every_primitive_type()
    {
        Assert.Equal("True 7 9007199254740993 255 18446744073709551615 0.5 1.25 12.345",
            await Ok("primitives", """{"flag":true,"count":7,"big":9007199254740993,"small":255,"huge":18446744073709551615,"ratio":0.5,"f":1.25,"money":12.345}"""));
    }

    [Fact]
    public async Task An_integer_written_as_a_whole_float_is_an_integer_as_in_JSON_Schema()
    {
        Assert.StartsWith("True 7 ", await Ok("primitives", """{"flag":true,"count":7.0,"big":1,"small":1,"huge":1,"ratio":1,"f":1,"money":1}"""), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_optional_arguments_take_their_declared_defaults()
    {
        Assert.Equal("- 3 hi Imperial False", await Ok("optional", "{}"));
        Assert.Equal("note 5 yo Metric True", await Ok("optional", """{"note":"note","times":5,"greeting":"yo","units":"Metric","loud":true}"""));
        Assert.Equal("- 3 hi Imperial False", await Ok("optional", """{"note":null}"""));
    }

    [Fact]
    public async Task Invalid_arguments_are_a_tool_error_naming_every_bad_argument_SEP_1303()
    {
        string message = await Invalid("primitives", """{"flag":"yes","count":1.5,"big":1,"small":256,"huge":-1,"ratio":"x","f":1,"money":1}""");
        Assert.Equal(
            "Invalid arguments for tool 'primitives': 'flag' must be a boolean; 'count' must be an integer; 'small' must be an integer between 0 and 255; "
            + "'huge' must be a non-negative integer; 'ratio' must be a number.",
            message);
    }

    [Fact]
    public async Task A_missing_required_argument_is_named()
    {
        Assert.Equal("Invalid arguments for tool 'echo': 'message' is required.", await Invalid("echo", "{}"));
        Assert.Equal("Invalid arguments for tool 'echo': 'message' must be a string.", await Invalid("echo", """{"message":null}"""));
    }

    [Fact]
    public async Task Enums_bind_by_name_and_reject_other_values()
    {
        Assert.Equal("Imperial Metric", await Ok("enums", """{"units":"Imperial","maybe":"Metric"}"""));
        Assert.Equal("Metric ", await Ok("enums", """{"units":"Metric"}"""));
        Assert.Equal("Invalid arguments for tool 'enums': 'units' must be one of: Metric, Imperial.", await Invalid("enums", """{"units":"metric"}"""));
    }

    [Fact]
    public async Task Nested_objects_bind_and_errors_carry_the_full_path()
    {
        Assert.Equal("Oslo/NO/red/10/me", await Ok("nested", """{"place":{"city":"Oslo","country":"NO"},"filter":{"tag":"red","owner":"me"}}"""));
        Assert.Equal("Oslo//red/4/me", await Ok("nested", """{"place":{"city":"Oslo"},"filter":{"tag":"red","limit":4,"owner":"me"}}"""));
        Assert.Equal(
            "Invalid arguments for tool 'nested': 'place.city' must be a string; 'filter.owner' is required.",
            await Invalid("nested", """{"place":{"city":5},"filter":{}}"""));
    }

    [Fact]
    public async Task Arrays_sets_and_dictionaries_bind_and_report_the_bad_element()
    {
        Assert.Equal("""{"result":7}""", await Ok("arrays", """{"numbers":[1,2],"words":["a"],"places":[{"city":"x"},{"city":"y"}],"tags":["t","u"]}"""));
        Assert.Equal(
            "Invalid arguments for tool 'arrays': 'numbers[1]' must be an integer; 'places[1].city' is required; 'tags' must be an array.",
            await Invalid("arrays", """{"numbers":[1,"2"],"words":[],"places":[{"city":"x"},{}],"tags":"t"}"""));
        Assert.Equal("""{"result":3}""", await Ok("dictionaries", """{"counts":{"a":1,"b":2},"places":{"home":{"city":"x"}}}"""));
        Assert.Equal("Invalid arguments for tool 'dictionaries': 'counts[\"b\"]' must be an integer.", await Invalid("dictionaries", """{"counts":{"a":1,"b":true}}"""));
    }

    [Fact]
    public async Task String_formats_are_checked()
    {
        Assert.Equal(
            "0f8fad5b-d9cb-469f-a165-70867728950e 2026-11-21T10:00:00.0000000+01:00 2026-11-21 https://example.com/a",
            await Ok("formats", """{"id":"0f8fad5b-d9cb-469f-a165-70867728950e","when":"2026-11-21T10:00:00+01:00","day":"2026-11-21","link":"https://example.com/a"}"""));
        Assert.Equal(
            "Invalid arguments for tool 'formats': 'id' must be a UUID string; 'when' must be a date-time string (RFC 3339); 'day' must be a date string (yyyy-MM-dd); 'link' must be an absolute URI.",
            await Invalid("formats", """{"id":"nope","when":"yesterday","day":"21/11/2026","link":"relative/path"}"""));
    }

    [Fact]
    public async Task A_JsonElement_parameter_takes_any_value()
    {
        Assert.Equal("""{"a":[1,true,null]}""", await Ok("any", """{"payload":{"a":[1,true,null]}}"""));
    }

    [Fact]
    public async Task Context_values_are_injected_not_exposed()
    {
        Assert.Equal("hello True 2 injected", await Ok("injected", """{"text":"hello"}"""));
    }

    [Fact]
    public async Task A_structured_return_value_fills_structuredContent_and_a_text_rendering()
    {
        var result = await _peer.CallAsync("get_forecast", """{"city":"Oslo","days":2}""");
        const string expected = """{"city":"Oslo","temperature":21.5,"units":"Metric","notes":["2 day(s)"]}""";
        Assert.Equal(expected, result.StructuredContent!.Value.GetRawText());
        Assert.Equal(expected, Results.Text(result));
    }

    [Fact]
    public async Task Values_that_are_not_objects_are_wrapped_in_result()
    {
        Assert.Equal("""{"result":5}""", (await _peer.CallAsync("count", """{"text":"hello"}""")).StructuredContent!.Value.GetRawText());
        Assert.Equal("""{"result":[1,2,3]}""", (await _peer.CallAsync("stream", """{"upTo":3}""")).StructuredContent!.Value.GetRawText());
    }

    [Fact]
    public async Task Content_blocks_bytes_void_and_raw_results_map_as_declared()
    {
        var blocks = await _peer.CallAsync("blocks", """{"text":"t"}""");
        Assert.IsType<TextContentBlock>(blocks.Content[0]);
        Assert.Equal("image/png", Assert.IsType<ImageContentBlock>(blocks.Content[1]).MimeType);

        var png = await _peer.CallAsync("png");
        var image = Assert.IsType<ImageContentBlock>(Assert.Single(png.Content));
        Assert.Equal("image/png", image.MimeType);
        Assert.Equal(Convert.ToBase64String([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A]), image.Data);

        var nothing = await _peer.CallAsync("nothing");
        Assert.Empty(nothing.Content);
        Assert.Null(nothing.IsError);

        var raw = await _peer.CallAsync("raw");
        Assert.True(raw.IsError);
        Assert.Equal("raw", Results.Text(raw));
    }

    [Fact]
    public async Task An_exception_in_the_tool_is_a_tool_error_with_its_message()
    {
        Assert.Equal("Tool 'fails' failed: the database is down", await Invalid("fails", "{}"));
    }

    [Fact]
    public async Task The_exception_message_can_be_hidden()
    {
        await using var peer = await Connected.StartAsync(static s => s.AddTools(typeof(SchemaTools)), new McpServerOptions { IncludeExceptionMessages = false });
        var result = await peer.CallAsync("fails");
        Assert.True(result.IsError);
        Assert.Equal("Tool 'fails' failed.", Results.Text(result));
    }

    [Fact]
    public async Task Cancelling_the_call_cancels_the_tools_CancellationToken()
    {
        using var cancel = new CancellationTokenSource();
        var call = _peer.CallAsync("wait_for_cancel", "{}", cancellationToken: cancel.Token);
        await BehaviourTools.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.True(await BehaviourTools.Observed.Task.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Progress_reported_through_the_injected_IProgress_reaches_the_client()
    {
        var reports = new List<ProgressNotificationValue>();
        var progress = new SynchronousProgress(reports);
        var result = await _peer.CallAsync("steps", """{"count":3}""", progress);
        Assert.Equal("""{"result":3}""", result.StructuredContent!.Value.GetRawText());
        Assert.Equal([1.0, 2.0, 3.0], reports.Select(r => r.Progress));
        Assert.Equal("step 3", reports[^1].Message);
    }

    private sealed class SynchronousProgress(List<ProgressNotificationValue> reports) : IProgress<ProgressNotificationValue>
    {
        public void Report(ProgressNotificationValue value)
        {
            lock (reports)
            {
                reports.Add(value);
            }
        }
    }
}

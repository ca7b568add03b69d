using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using CsCheck;
using McpSharp.Protocol;

namespace McpSharp.Tests.Protocol;

/// <summary>
/// The hand-written converters of the <c>tools/call</c> params and result keep the contract the source-generated
/// metadata had: checked against reference types of the same shapes, read and written by System.Text.Json's generated
/// code with the same options (the same bytes written), over generated inputs with duplicate members, members in other cases, wrong value
/// types, unknown members and content blocks of every kind.
/// </summary>
public sealed class HandWrittenConverterTests
{
    private static readonly string[] Keys =
    [
        "name", "NAME", "Name", "arguments", "Arguments", "inputResponses", "INPUTRESPONSES", "requestState", "_meta", "_META", "x", "X",
        "additionalProperties", "content", "Content", "structuredContent", "isError", "ISERROR", "type", "text",
    ];

    // Content blocks, valid and not, with the members the fast path must leave to the generated code.
    private static readonly Gen<string> Block = Gen.OneOf(
        Gen.String.Select(t => """{"type":"text","text":""" + JsonSerializer.Serialize(t, Reference.Context.String) + "}"),
        Gen.Const("""{"text":"late type","type":"text"}"""),
        Gen.Const("""{"type":"text","text":"annotated","annotations":{"priority":0.5},"_meta":{"k":1},"extra":[1]}"""),
        Gen.Const("""{"type":"text","text":null}"""),
        Gen.Const("""{"type":"image","data":"AA==","mimeType":"image/png"}"""),
        Gen.Const("""{"type":"resource_link","uri":"file:///a","name":"a"}"""),
        Gen.Const("""{"type":"nope"}"""),
        Gen.Const("""{"type":"text"}"""),
        Gen.Const("null"));

    private static readonly Gen<string> Value = Gen.Recursive<string>((depth, self) =>
    {
        var leaf = Gen.OneOf(
            Gen.Const("null"),
            Gen.Bool.Select(b => b ? "true" : "false"),
            Gen.Long.Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Gen.String.Select(s => JsonSerializer.Serialize(s, Reference.Context.String)));
        return depth >= 3 ? leaf : Gen.Frequency(
            (3, leaf),
            (1, self.Array[0, 3].Select(items => "[" + string.Join(",", items) + "]")),
            (1, Block.Array[0, 3].Select(items => "[" + string.Join(",", items) + "]")),
            (2, Members(self)));
    });

    // An object's text, members possibly repeated: what a JsonObject could not hold.
    private static Gen<string> Members(Gen<string> values) =>
        Gen.Select(Gen.OneOf(Gen.Int[0, Keys.Length - 1].Select(i => Keys[i]), Gen.String), values).Array[0, 6]
            .Select(members => "{" + string.Join(",", members.Select(m => JsonSerializer.Serialize(m.Item1, Reference.Context.String) + ":" + m.Item2)) + "}");

    [Fact]
    public void Params_read_and_write_every_input_as_the_generated_contract_does() =>
        AgreeWithGenerated(
            Reference.Context.ReferenceCallToolParams,
            McpJsonContext.Default.CallToolRequestParams,
            // The one difference on purpose: a null name is refused (the generated reader took it as a null name).
            expected => expected is { Name: null });

    [Fact]
    public void Results_read_and_write_every_input_as_the_generated_contract_does() =>
        AgreeWithGenerated(
            Reference.Context.ReferenceCallToolResult,
            McpJsonContext.Default.CallToolResult,
            // On purpose: a null block is refused; null content reads as no blocks (checked below).
            expected => expected.Content?.Contains(null!) == true,
            expected => expected.Content is null,
            actual => Assert.Empty(actual.Content));

    private static void AgreeWithGenerated<TReference, TActual>(
        JsonTypeInfo<TReference> reference,
        JsonTypeInfo<TActual> actual,
        Func<TReference, bool> refused,
        Func<TReference, bool>? differs = null,
        Action<TActual>? checkDifference = null)
        where TReference : class
        where TActual : class
    {
        Gen.OneOf(Members(Value), Value).Sample(json =>
        {
            var (expected, expectedError) = Read(json, reference);
            var (read, readError) = Read(json, actual);
            if (expected is not null && refused(expected))
            {
                Assert.NotNull(readError);
                return;
            }

            Assert.True((expectedError is null) == (readError is null), $"{json}: generated {expectedError?.Message ?? "read it"}, hand-written {readError?.Message ?? "read it"}");
            if (expected is null || read is null)
            {
                return;
            }

            if (differs?.Invoke(expected) == true)
            {
                checkDifference!(read);
                return;
            }

            string written = Write(read, actual), generated = Write(expected, reference);
            Assert.True(generated == written, $"{json}: {generated} != {written}");
        }, iter: 2000);
    }

    [Fact]
    public void Writes_members_in_the_generated_order_with_unknown_members_last()
    {
        var parameters = JsonSerializer.Deserialize(
            """{"z":1,"_meta":{"a":1},"requestState":"s","inputResponses":{"k":{}},"arguments":{"a":1},"name":"n"}""",
            McpJsonContext.Default.CallToolRequestParams)!;

        Assert.Equal(
            """{"name":"n","arguments":{"a":1},"inputResponses":{"k":{}},"requestState":"s","_meta":{"a":1},"z":1}""",
            JsonSerializer.Serialize(parameters, McpJsonContext.Default.CallToolRequestParams));
    }

    [Theory]
    [InlineData("""{"name":null}""")]
    [InlineData("""{"arguments":{}}""")]
    [InlineData("""{"name":1}""")]
    [InlineData("""{"name":"n","arguments":[]}""")]
    [InlineData("""[]""")]
    public void Refuses_params_without_a_string_name_or_with_mistyped_members(string json)
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, McpJsonContext.Default.CallToolRequestParams));
    }

    [Fact]
    public void A_content_block_without_a_type_is_json_that_does_not_match()
    {
        var payload = McpSharp.JsonRpc.JsonPayload.FromRaw("""{"content":[{"text":"no type"}]}"""u8.ToArray());

        Assert.Throws<JsonException>(() => { payload.Deserialize(McpJsonContext.Default.CallToolResult); });
    }

    [Fact]
    public void Writes_a_plain_text_result_as_the_generated_code_did()
    {
        var result = CallToolResult.FromError("boom");
        result.StructuredContent = JsonDocument.Parse("""{"k":1}""").RootElement;

        Assert.Equal(
            """{"content":[{"type":"text","text":"boom"}],"structuredContent":{"k":1},"isError":true}""",
            JsonSerializer.Serialize(result, McpJsonContext.Default.CallToolResult));
    }

    // A _meta object holding a member twice is read lazily and fails when first used, in both contracts alike.
    private static string Write<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        try
        {
            return JsonSerializer.Serialize(value, typeInfo);
        }
        catch (ArgumentException ex) when (ex.Message.Contains("same key", StringComparison.Ordinal))
        {
            return "\"a member twice in a JSON object\"";
        }
    }

    private static (T? Value, Exception? Error) Read<T>(string json, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        try
        {
            return (JsonSerializer.Deserialize(Encoding.UTF8.GetBytes(json), typeInfo), null);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            // NotSupportedException: a polymorphic block with no discriminator, in both contracts (JsonPayload makes
            // it a JsonException for the engine).
            return (null, ex);
        }
    }
}

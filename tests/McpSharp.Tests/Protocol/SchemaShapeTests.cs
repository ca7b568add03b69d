using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using McpSharp.Protocol;

namespace McpSharp.Tests.Protocol;

/// <summary>
/// Every MCP type of revision 2025-11-25 against a JSON sample written from the schema (schema.ts): it deserializes,
/// and serializes back to exactly the same JSON (member names, optional members omitted, discriminators).
/// </summary>
public class SchemaShapeTests
{
    public static TheoryData<string, string> Samples => new()
    {
        { nameof(InitializeRequestParams), """{"protocolVersion":"2025-11-25","capabilities":{"roots":{"listChanged":true},"sampling":{"context":{},"tools":{}},"elicitation":{"form":{},"url":{}}},"clientInfo":{"name":"c","title":"C","version":"1","description":"d","icons":[{"src":"https://x/i.png","mimeType":"image/png","sizes":["48x48"],"theme":"dark"}],"websiteUrl":"https://x"},"_meta":{"k":1}}""" },
        { nameof(InitializeResult), """{"protocolVersion":"2025-11-25","capabilities":{"logging":{},"completions":{},"prompts":{"listChanged":true},"resources":{"subscribe":true,"listChanged":true},"tools":{"listChanged":false},"experimental":{"x":{}}},"serverInfo":{"name":"s","version":"1"},"instructions":"i"}""" },
        { nameof(EmptyResult), """{}""" },
        { nameof(PaginatedRequestParams), """{"cursor":"abc"}""" },
        { nameof(ListToolsResult), """{"tools":[{"name":"t","title":"T","description":"d","icons":[{"src":"data:image/png;base64,AA=="}],"inputSchema":{"type":"object","additionalProperties":false},"outputSchema":{"type":"object","properties":{"a":{"type":"number"}}},"annotations":{"title":"T","readOnlyHint":true,"destructiveHint":false,"idempotentHint":true,"openWorldHint":false},"execution":{"taskSupport":"optional"},"_meta":{"m":true}}],"nextCursor":"n"}""" },
        { nameof(CallToolRequestParams), """{"name":"t","arguments":{"a":1,"b":[true,null]},"_meta":{"progressToken":"p"}}""" },
        { nameof(CallToolResult), """{"content":[{"type":"text","text":"x","annotations":{"audience":["user","assistant"],"priority":0.5,"lastModified":"2025-01-01T00:00:00Z"}}],"structuredContent":{"a":1},"isError":false}""" },
        { nameof(ListResourcesResult), """{"resources":[{"uri":"file:///a","name":"a","title":"A","description":"d","mimeType":"text/plain","size":12,"icons":[{"src":"https://x/i.png"}],"annotations":{"priority":1}}]}""" },
        { nameof(ListResourceTemplatesResult), """{"resourceTemplates":[{"uriTemplate":"file:///{path}","name":"f","mimeType":"text/plain"}],"nextCursor":"c"}""" },
        { nameof(ResourceRequestParams), """{"uri":"file:///a"}""" },
        { nameof(ReadResourceResult), """{"contents":[{"uri":"file:///a","mimeType":"text/plain","text":"t","_meta":{"x":1}},{"uri":"file:///b","blob":"AAE="}]}""" },
        { nameof(ResourceUpdatedNotificationParams), """{"uri":"file:///a"}""" },
        { nameof(ListPromptsResult), """{"prompts":[{"name":"p","title":"P","description":"d","arguments":[{"name":"a","title":"A","description":"d","required":true}],"icons":[{"src":"https://x/p.png"}]}]}""" },
        { nameof(GetPromptRequestParams), """{"name":"p","arguments":{"a":"1"}}""" },
        { nameof(GetPromptResult), """{"description":"d","messages":[{"role":"user","content":{"type":"image","data":"AA==","mimeType":"image/png"}},{"role":"assistant","content":{"type":"resource","resource":{"uri":"a://b","mimeType":"text/plain","text":"t"}}}]}""" },
        { nameof(CompleteRequestParams), """{"ref":{"type":"ref/prompt","name":"p","title":"P"},"argument":{"name":"a","value":"x"},"context":{"arguments":{"b":"y"}}}""" },
        { nameof(CompleteResult), """{"completion":{"values":["a","b"],"total":2,"hasMore":false}}""" },
        { nameof(SetLevelRequestParams), """{"level":"warning"}""" },
        { nameof(LoggingMessageNotificationParams), """{"level":"info","logger":"l","data":{"any":["json"]}}""" },
        { nameof(CancelledNotificationParams), """{"requestId":"r1","reason":"why"}""" },
        { nameof(ProgressNotificationParams), """{"progressToken":1,"progress":50,"total":100,"message":"half"}""" },
        { nameof(CreateMessageRequestParams), """{"messages":[{"role":"user","content":[{"type":"text","text":"q"},{"type":"audio","data":"AA==","mimeType":"audio/wav"}]},{"role":"assistant","content":{"type":"tool_use","id":"u","name":"t","input":{"x":1},"_meta":{"c":1}}},{"role":"user","content":{"type":"tool_result","toolUseId":"u","content":[{"type":"text","text":"r"}],"structuredContent":{"r":1},"isError":false}}],"modelPreferences":{"hints":[{"name":"claude"}],"costPriority":0.1,"speedPriority":0.2,"intelligencePriority":0.9},"systemPrompt":"s","includeContext":"none","temperature":0.7,"maxTokens":100,"stopSequences":["x"],"metadata":{"m":1},"tools":[{"name":"t","inputSchema":{"type":"object"}}],"toolChoice":{"mode":"required"}}""" },
        { nameof(CreateMessageResult), """{"role":"assistant","content":{"type":"text","text":"a"},"model":"m","stopReason":"endTurn"}""" },
        { nameof(ElicitRequestParams), """{"mode":"form","message":"m","requestedSchema":{"type":"object","properties":{"n":{"type":"string","default":"x"},"e":{"type":"string","oneOf":[{"const":"a","title":"A"}]},"m":{"type":"array","items":{"anyOf":[{"const":"a","title":"A"}]}}},"required":["n"]}}""" },
        { nameof(ElicitResult), """{"action":"accept","content":{"n":"x","age":3,"ok":true,"tags":["a","b"]}}""" },
        { nameof(ElicitationCompleteNotificationParams), """{"elicitationId":"e1"}""" },
        { nameof(ListRootsResult), """{"roots":[{"uri":"file:///home","name":"home","_meta":{"k":"v"}}]}""" },
        { "ResourceLinkBlock", """{"type":"resource_link","uri":"file:///a","name":"a","title":"A","description":"d","mimeType":"text/plain","size":3,"icons":[{"src":"https://x/i.png"}],"annotations":{"audience":["assistant"]},"_meta":{"k":1}}""" },
    };

    private static readonly Dictionary<string, JsonTypeInfo> TypeInfos = new()
    {
        [nameof(InitializeRequestParams)] = McpJsonContext.Default.InitializeRequestParams,
        [nameof(InitializeResult)] = McpJsonContext.Default.InitializeResult,
        [nameof(EmptyResult)] = McpJsonContext.Default.EmptyResult,
        [nameof(PaginatedRequestParams)] = McpJsonContext.Default.PaginatedRequestParams,
        [nameof(ListToolsResult)] = McpJsonContext.Default.ListToolsResult,
        [nameof(CallToolRequestParams)] = McpJsonContext.Default.CallToolRequestParams,
        [nameof(CallToolResult)] = McpJsonContext.Default.CallToolResult,
        [nameof(ListResourcesResult)] = McpJsonContext.Default.ListResourcesResult,
        [nameof(ListResourceTemplatesResult)] = McpJsonContext.Default.ListResourceTemplatesResult,
        [nameof(ResourceRequestParams)] = McpJsonContext.Default.ResourceRequestParams,
        [nameof(ReadResourceResult)] = McpJsonContext.Default.ReadResourceResult,
        [nameof(ResourceUpdatedNotificationParams)] = McpJsonContext.Default.ResourceUpdatedNotificationParams,
        [nameof(ListPromptsResult)] = McpJsonContext.Default.ListPromptsResult,
        [nameof(GetPromptRequestParams)] = McpJsonContext.Default.GetPromptRequestParams,
        [nameof(GetPromptResult)] = McpJsonContext.Default.GetPromptResult,
        [nameof(CompleteRequestParams)] = McpJsonContext.Default.CompleteRequestParams,
        [nameof(CompleteResult)] = McpJsonContext.Default.CompleteResult,
        [nameof(SetLevelRequestParams)] = McpJsonContext.Default.SetLevelRequestParams,
        [nameof(LoggingMessageNotificationParams)] = McpJsonContext.Default.LoggingMessageNotificationParams,
        [nameof(CancelledNotificationParams)] = McpJsonContext.Default.CancelledNotificationParams,
        [nameof(ProgressNotificationParams)] = McpJsonContext.Default.ProgressNotificationParams,
        [nameof(CreateMessageRequestParams)] = McpJsonContext.Default.CreateMessageRequestParams,
        [nameof(CreateMessageResult)] = McpJsonContext.Default.CreateMessageResult,
        [nameof(ElicitRequestParams)] = McpJsonContext.Default.ElicitRequestParams,
        [nameof(ElicitResult)] = McpJsonContext.Default.ElicitResult,
        [nameof(ElicitationCompleteNotificationParams)] = McpJsonContext.Default.ElicitationCompleteNotificationParams,
        [nameof(ListRootsResult)] = McpJsonContext.Default.ListRootsResult,
        ["ResourceLinkBlock"] = McpJsonContext.Default.ContentBlock,
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Type_reads_and_writes_its_schema_shape_exactly(string type, string json)
    {
        var info = TypeInfos[type];
        object value = JsonSerializer.Deserialize(json, info)!;
        Assert.Empty(AdditionalPropertiesOf(value));
        string written = JsonSerializer.Serialize(value, info);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), JsonNode.Parse(written)), $"{type}\nexpected {json}\nwritten  {written}");
    }

    // Every member of the samples is modelled: none may fall into the catch-all for unknown members.
    private static string[] AdditionalPropertiesOf(object value) =>
        value is McpObject o && o.AdditionalProperties is { } extra ? [.. extra.Keys] : [];
}

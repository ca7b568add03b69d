using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace McpSharp.Protocol;

/// <summary>
/// The source-generated System.Text.Json context for every MCP type. No reflection: use
/// <see cref="McpJsonContext.Default"/> (or its <see cref="JsonSerializerContext.Options"/>) to serialize MCP types.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict,
    AllowOutOfOrderMetadataProperties = true,
    WriteIndented = false)]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(Dictionary<string, JsonElement>))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(RequestId))]
[JsonSerializable(typeof(ProgressToken))]
[JsonSerializable(typeof(LoggingLevel))]
[JsonSerializable(typeof(EmptyResult))]
[JsonSerializable(typeof(EmptyRequestParams))]
[JsonSerializable(typeof(EmptyNotificationParams))]
[JsonSerializable(typeof(PaginatedRequestParams))]
[JsonSerializable(typeof(Implementation))]
[JsonSerializable(typeof(ClientCapabilities))]
[JsonSerializable(typeof(ServerCapabilities))]
[JsonSerializable(typeof(InitializeRequestParams))]
[JsonSerializable(typeof(InitializeResult))]
[JsonSerializable(typeof(CancelledNotificationParams))]
[JsonSerializable(typeof(ProgressNotificationParams))]
[JsonSerializable(typeof(SetLevelRequestParams))]
[JsonSerializable(typeof(LoggingMessageNotificationParams))]
[JsonSerializable(typeof(ContentBlock))]
[JsonSerializable(typeof(TextContentBlock))]
[JsonSerializable(typeof(ImageContentBlock))]
[JsonSerializable(typeof(AudioContentBlock))]
[JsonSerializable(typeof(ResourceLinkBlock))]
[JsonSerializable(typeof(EmbeddedResourceBlock))]
[JsonSerializable(typeof(ToolUseContentBlock))]
[JsonSerializable(typeof(ToolResultContentBlock))]
[JsonSerializable(typeof(ResourceContents))]
[JsonSerializable(typeof(TextResourceContents))]
[JsonSerializable(typeof(BlobResourceContents))]
[JsonSerializable(typeof(Tool))]
[JsonSerializable(typeof(ListToolsResult))]
[JsonSerializable(typeof(CallToolRequestParams))]
[JsonSerializable(typeof(CallToolResult))]
[JsonSerializable(typeof(Resource))]
[JsonSerializable(typeof(ResourceTemplate))]
[JsonSerializable(typeof(ListResourcesResult))]
[JsonSerializable(typeof(ListResourceTemplatesResult))]
[JsonSerializable(typeof(ResourceRequestParams))]
[JsonSerializable(typeof(ReadResourceResult))]
[JsonSerializable(typeof(ResourceUpdatedNotificationParams))]
[JsonSerializable(typeof(Prompt))]
[JsonSerializable(typeof(ListPromptsResult))]
[JsonSerializable(typeof(GetPromptRequestParams))]
[JsonSerializable(typeof(GetPromptResult))]
[JsonSerializable(typeof(CompleteRequestParams))]
[JsonSerializable(typeof(CompleteResult))]
[JsonSerializable(typeof(CreateMessageRequestParams))]
[JsonSerializable(typeof(CreateMessageResult))]
[JsonSerializable(typeof(ElicitRequestParams))]
[JsonSerializable(typeof(ElicitResult))]
[JsonSerializable(typeof(ElicitationCompleteNotificationParams))]
[JsonSerializable(typeof(ListRootsResult))]
[JsonSerializable(typeof(DiscoverRequestParams))]
[JsonSerializable(typeof(McpSharp.Server.McpSessionState))]
[JsonSerializable(typeof(DiscoverResult))]
[JsonSerializable(typeof(InputRequiredResult))]
[JsonSerializable(typeof(CreateTaskResult))]
[JsonSerializable(typeof(McpTaskDetails))]
[JsonSerializable(typeof(TaskRequestParams))]
[JsonSerializable(typeof(UpdateTaskRequestParams))]
[JsonSerializable(typeof(SubscriptionsListenRequestParams))]
[JsonSerializable(typeof(SubscriptionFilter))]
[JsonSerializable(typeof(SubscriptionsAcknowledgedNotificationParams))]
[JsonSerializable(typeof(UnsupportedProtocolVersionData))]
[JsonSerializable(typeof(MissingRequiredClientCapabilityData))]
[JsonSerializable(typeof(Dictionary<string, InputRequest>))]
public sealed partial class McpJsonContext : JsonSerializerContext
{
}

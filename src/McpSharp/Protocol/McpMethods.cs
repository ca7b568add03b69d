namespace McpSharp.Protocol;

/// <summary>The method names of MCP requests and notifications.</summary>
public static class McpMethods
{
#pragma warning disable CS1591 // the names document themselves
    public const string Initialize = "initialize";
    public const string Ping = "ping";
    public const string ToolsList = "tools/list";
    public const string ToolsCall = "tools/call";
    public const string ResourcesList = "resources/list";
    public const string ResourcesRead = "resources/read";
    public const string ResourcesTemplatesList = "resources/templates/list";
    public const string ResourcesSubscribe = "resources/subscribe";
    public const string ResourcesUnsubscribe = "resources/unsubscribe";
    public const string PromptsList = "prompts/list";
    public const string PromptsGet = "prompts/get";
    public const string CompletionComplete = "completion/complete";
    public const string LoggingSetLevel = "logging/setLevel";
    public const string SamplingCreateMessage = "sampling/createMessage";
    public const string ElicitationCreate = "elicitation/create";
    public const string RootsList = "roots/list";
    public const string ServerDiscover = "server/discover";
    public const string SubscriptionsListen = "subscriptions/listen";

    public const string NotificationsInitialized = "notifications/initialized";
    public const string NotificationsCancelled = "notifications/cancelled";
    public const string NotificationsProgress = "notifications/progress";
    public const string NotificationsMessage = "notifications/message";
    public const string NotificationsResourcesUpdated = "notifications/resources/updated";
    public const string NotificationsResourcesListChanged = "notifications/resources/list_changed";
    public const string NotificationsToolsListChanged = "notifications/tools/list_changed";
    public const string NotificationsPromptsListChanged = "notifications/prompts/list_changed";
    public const string NotificationsRootsListChanged = "notifications/roots/list_changed";
    public const string NotificationsElicitationComplete = "notifications/elicitation/complete";
    public const string NotificationsSubscriptionsAcknowledged = "notifications/subscriptions/acknowledged";
#pragma warning restore CS1591
}

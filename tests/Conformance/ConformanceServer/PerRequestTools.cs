using System.Text.Json;
using McpSharp.Protocol;
using McpSharp.Server;
using static ConformanceServer.Fixture;

namespace ConformanceServer;

/// <summary>
/// The tools and the prompt the 2026-07-28 server scenarios call (server-stateless, input-required-result-*,
/// http-custom-header-server-validation): written with the same handler API as for 2025 clients; the multi round-trip
/// rounds, the sealed requestState and the capability checks are McpSharp's own.
/// </summary>
internal static class PerRequestTools
{
    private static readonly JsonElement Name = Json("""{"type":"object","properties":{"name":{"type":"string"}},"required":["name"]}""");

    private static ElicitRequestParams Ask(string message, JsonElement schema) => new() { Message = message, RequestedSchema = schema };

    private static CreateMessageRequestParams Sample(string text, int maxTokens) =>
        new() { Messages = [new SamplingMessage { Role = Role.User, Content = [new TextContentBlock(text)] }], MaxTokens = maxTokens };

    private static string Text(CreateMessageResult result) => result.Content.OfType<TextContentBlock>().FirstOrDefault()?.Text ?? string.Empty;

    private static string Field(ElicitResult result, string name) =>
        result.Content is { } content && content.TryGetValue(name, out var value) ? value.ToString() : "unknown";

    public static void Register(McpServer server)
    {
        server.Tools.Add(Tool("test_missing_capability", "Needs sampling: without it, -32021"), static async ctx =>
            CallToolResult.FromText("Sampled: " + Text(await ctx.SampleAsync(Sample("Say hi", 10)))));
        server.Tools.Add(Tool("test_streaming_elicitation", "Asks for input; never sends a request of its own on the stream"), static async ctx =>
            CallToolResult.FromText("Got: " + Field(await ctx.ElicitAsync("confirm", Ask("Confirm?", Json("""{"type":"object","properties":{"ok":{"type":"boolean"}}}"""))), "ok")));
        server.Tools.Add(Tool("test_logging_tool", "Logs at info; silent unless the request asks for a log level"), static async ctx =>
        {
            await ctx.LogAsync(LoggingLevel.Info, "Tool execution started");
            return CallToolResult.FromText("Logging tool done");
        });
        server.Tools.Add(Tool("test_trigger_tool_change", "Announces notifications/tools/list_changed"), static ctx =>
        {
            ctx.Server.NotifyToolsListChanged();
            return ValueTask.FromResult(CallToolResult.FromText("tools list_changed sent"));
        });
        server.Tools.Add(Tool("test_trigger_prompt_change", "Announces notifications/prompts/list_changed"), static ctx =>
        {
            ctx.Server.NotifyPromptsListChanged();
            return ValueTask.FromResult(CallToolResult.FromText("prompts list_changed sent"));
        });
        server.Tools.Add(Tool("test_header_routing", "Routes on a header-mirrored region (x-mcp-header)", Json("""{"type":"object","properties":{"region":{"type":"string","description":"Where to run","x-mcp-header":"Region"}},"required":["region"]}""")),
            static ctx => ValueTask.FromResult(CallToolResult.FromText("Routed to " + ctx.Params.Arguments!["region"].GetString())));

        server.Tools.Add(Tool("test_input_required_result_elicitation", "Asks for the user's name"), static async ctx =>
            CallToolResult.FromText($"Hello, {Field(await ctx.ElicitAsync("user_name", Ask("What is your name?", Name)), "name")}!"));
        server.Tools.Add(Tool("test_input_required_result_sampling", "Asks the client's model"), static async ctx =>
            CallToolResult.FromText("Model said: " + Text(await ctx.SampleAsync("capital_question", Sample("What is the capital of France?", 100)))));
        server.Tools.Add(Tool("test_input_required_result_list_roots", "Asks for the client's roots"), static async ctx =>
            CallToolResult.FromText($"Found {(await ctx.ListRootsAsync("client_roots")).Roots.Count} root(s)"));
        server.Tools.Add(Tool("test_input_required_result_request_state", "Asks for a confirmation carried through requestState"), static async ctx =>
        {
            var confirm = await ctx.ElicitAsync("confirm", Ask("Please confirm", Json("""{"type":"object","properties":{"ok":{"type":"boolean"}},"required":["ok"]}""")));
            return CallToolResult.FromText($"state-ok: requestState validated (ok={Field(confirm, "ok")})");
        });
        server.Tools.Add(Tool("test_input_required_result_multiple_inputs", "Asks for three inputs at once"), static async ctx =>
        {
            var name = ctx.ElicitAsync("user_name", Ask("What is your name?", Name)).AsTask();
            var greeting = ctx.SampleAsync("greeting", Sample("Generate a greeting", 50)).AsTask();
            var roots = ctx.ListRootsAsync("client_roots").AsTask();
            await Task.WhenAll(name, greeting, roots);
            return CallToolResult.FromText($"{Text(greeting.Result)} {Field(name.Result, "name")} ({roots.Result.Roots.Count} root(s))");
        });
        server.Tools.Add(Tool("test_input_required_result_multi_round", "Asks in two rounds"), static async ctx =>
        {
            var name = await ctx.ElicitAsync("step1", Ask("What is your name?", Name));
            var color = await ctx.ElicitAsync("step2", Ask("Favourite colour?", Json("""{"type":"object","properties":{"color":{"type":"string"}},"required":["color"]}""")));
            return CallToolResult.FromText($"{Field(name, "name")} likes {Field(color, "color")}");
        });
        server.Tools.Add(Tool("test_input_required_result_tampered_state", "Refuses a requestState that fails verification"), static async ctx =>
            CallToolResult.FromText("Confirmed: " + Field(await ctx.ElicitAsync("confirm", Ask("Confirm?", Json("""{"type":"object","properties":{"ok":{"type":"boolean"}},"required":["ok"]}"""))), "ok")));
        server.Tools.Add(Tool("test_input_required_result_capabilities", "Asks only for what the client declared"), static async ctx =>
        {
            // M26-MRTR-CAPS: elicitation only to clients that declared it, sampling only to those that declared that.
            var asks = new List<Task>();
            var capabilities = ctx.Client.Capabilities;
            if (capabilities.Elicitation is not null)
            {
                asks.Add(ctx.ElicitAsync("elicit_input", Ask("Your input?", Name)).AsTask());
            }

            if (capabilities.Sampling is not null)
            {
                asks.Add(ctx.SampleAsync("sample_input", Sample("Your input?", 20)).AsTask());
            }

            await Task.WhenAll(asks);
            return CallToolResult.FromText($"Collected {asks.Count} input(s)");
        });

        server.Prompts.Add(
            new Prompt { Name = "test_input_required_result_prompt", Description = "A prompt that asks for context first" },
            static async ctx =>
            {
                var context = await ctx.ElicitAsync("user_context", Ask("What context should the prompt use?", Json("""{"type":"object","properties":{"context":{"type":"string"}},"required":["context"]}""")));
                return new GetPromptResult { Messages = [new PromptMessage { Role = Role.User, Content = new TextContentBlock("Prompt with context: " + Field(context, "context")) }] };
            });
    }
}

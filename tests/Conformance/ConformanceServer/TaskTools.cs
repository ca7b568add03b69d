using System.Globalization;
using System.Text.Json;
using McpSharp.Protocol;
using McpSharp.Server;
using static ConformanceServer.Fixture;

namespace ConformanceServer;

/// <summary>
/// The tools of the tasks extension's scenarios (tasks-*, 2026-07-28): each that may run as a task declares
/// <c>execution.taskSupport</c> and calls <see cref="McpRequestContext.StartTaskAsync"/>; statuses, input requests,
/// tasks/get, tasks/update and tasks/cancel are McpSharp's own.
/// </summary>
internal static class TaskTools
{
    private static readonly JsonElement Confirm = Json("""{"type":"object","properties":{"confirm":{"type":"boolean"}},"required":["confirm"]}""");

    private static Tool TaskTool(string name, string description, string support, JsonElement? schema = null)
    {
        var tool = Tool(name, description, schema);
        tool.Execution = new ToolExecution { TaskSupport = support };
        return tool;
    }

    private static double Number(McpRequestContext<CallToolRequestParams> context, string name) =>
        context.Params.Arguments is { } arguments && arguments.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : 0;

    private static string Text(McpRequestContext<CallToolRequestParams> context, string name, string otherwise) =>
        context.Params.Arguments is { } arguments && arguments.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : otherwise;

    private static string Field(ElicitResult result, string name) =>
        result.Content is { } content && content.TryGetValue(name, out var value) ? value.ToString() : "unknown";

    public static void Register(McpServer server)
    {
        server.Tools.Add(Tool("greet", "Greets by name, at once (never a task)", Json("""{"type":"object","properties":{"name":{"type":"string"}}}""")),
            static ctx => ValueTask.FromResult(CallToolResult.FromText($"Hello, {Text(ctx, "name", "World")}!")));

        server.Tools.Add(TaskTool("slow_compute", "Works for the given seconds (a task when the client supports tasks)", McpTasks.SupportOptional,
            Json("""{"type":"object","properties":{"seconds":{"type":"number"},"label":{"type":"string"}}}""")), static async ctx =>
        {
            double seconds = Number(ctx, "seconds");
            await ctx.StartTaskAsync();
            await Task.Delay(TimeSpan.FromSeconds(seconds), ctx.CancellationToken);
            return CallToolResult.FromText($"Computed {Text(ctx, "label", "result")} in {seconds.ToString(CultureInfo.InvariantCulture)} s");
        });

        server.Tools.Add(TaskTool("failing_job", "Runs only as a task, and ends with a tool error", McpTasks.SupportRequired), static async ctx =>
        {
            await ctx.StartTaskAsync();
            await Task.Delay(TimeSpan.FromSeconds(1), ctx.CancellationToken);
            return CallToolResult.FromError("The job failed.");
        });

        server.Tools.Add(TaskTool("protocol_error_job", "Ends with a JSON-RPC error (a failed task)", McpTasks.SupportOptional), static async ctx =>
        {
            await ctx.StartTaskAsync();
            await Task.Delay(TimeSpan.FromMilliseconds(200), ctx.CancellationToken);
            throw new McpProtocolException(McpErrorCodes.InternalError, "Internal error: the job could not run.");
        });

        server.Tools.Add(TaskTool("confirm_delete", "Asks the user to confirm, from inside the task", McpTasks.SupportOptional,
            Json("""{"type":"object","properties":{"filename":{"type":"string"}}}""")), static async ctx =>
        {
            string file = Text(ctx, "filename", "the file");
            await ctx.StartTaskAsync();
            var answer = await ctx.ElicitAsync("confirm", new ElicitRequestParams { Message = $"Delete {file}?", RequestedSchema = Confirm });
            return CallToolResult.FromText(answer.Action == "accept" ? $"Deleted {file} (confirm={Field(answer, "confirm")})" : $"Kept {file}");
        });

        server.Tools.Add(TaskTool("multi_input", "Asks two questions at once, from inside the task", McpTasks.SupportOptional), static async ctx =>
        {
            await ctx.StartTaskAsync();
            var name = ctx.ElicitAsync("name", new ElicitRequestParams { Message = "Your name?", RequestedSchema = Json("""{"type":"object","properties":{"name":{"type":"string"}}}""") }).AsTask();
            var confirm = ctx.ElicitAsync("confirm", new ElicitRequestParams { Message = "Go ahead?", RequestedSchema = Confirm }).AsTask();
            await Task.WhenAll(name, confirm);
            return CallToolResult.FromText($"name={Field(await name, "name")}, confirm={Field(await confirm, "confirm")}");
        });

        server.Tools.Add(TaskTool("test_tool_with_task", "Asks for a name first (an input_required result), then runs as a task", McpTasks.SupportRequired), static async ctx =>
        {
            var answer = await ctx.ElicitAsync("user_name", new ElicitRequestParams { Message = "What is your name?", RequestedSchema = Json("""{"type":"object","properties":{"name":{"type":"string"}},"required":["name"]}""") });
            await ctx.StartTaskAsync();
            return CallToolResult.FromText($"Hello, {Field(answer, "name")}! (from a task)");
        });
    }
}

using System.Net;
using System.Text.Json;
using static McpSharp.AspNetCore.Tests.TestSupport.TestServer;

namespace McpSharp.AspNetCore.Tests.TestSupport;

/// <summary>2026-07-28 requests of the tasks extension, posted raw, with the Mcp-Method and Mcp-Name headers they need.</summary>
internal static class TaskRequests
{
    public const string WithTasks = """{"extensions":{"io.modelcontextprotocol/tasks":{}},"elicitation":{}}""";

    public static string Body(string method, string members, string capabilities = WithTasks) =>
        "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"" + method + "\",\"params\":{" + members + ",\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\",\"io.modelcontextprotocol/clientCapabilities\":" + capabilities + "}}}";

    /// <summary>Posts one request and returns its status and the last message of its answer.</summary>
    public static async Task<(HttpStatusCode Status, JsonElement Message)> SendAsync(TestServer server, string? user, string method, string members, string? name, string capabilities = WithTasks)
    {
        using var response = await server.PostAsync(Body(method, members, capabilities), protocolVersion: "2026-07-28", configure: request =>
        {
            request.Headers.TryAddWithoutValidation("Mcp-Method", method);
            if (name is not null)
            {
                request.Headers.TryAddWithoutValidation("Mcp-Name", name);
            }

            AddUser(request, user);
        });
        return (response.StatusCode, (await ReadMessagesAsync(response)).Last());
    }

    /// <summary>Calls a tool (no arguments) and returns the answer's result: a task's handle when it became one.</summary>
    public static async Task<JsonElement> CallAsync(TestServer server, string tool)
    {
        var (status, message) = await SendAsync(server, null, "tools/call", $"\"name\":\"{tool}\",\"arguments\":{{}}", tool);
        Assert.Equal(HttpStatusCode.OK, status);
        return message.GetProperty("result");
    }

    /// <summary>tasks/get, which must succeed.</summary>
    public static async Task<JsonElement> GetAsync(TestServer server, string taskId)
    {
        var (status, message) = await SendAsync(server, null, "tasks/get", $"\"taskId\":\"{taskId}\"", taskId);
        Assert.Equal(HttpStatusCode.OK, status);
        return message.GetProperty("result");
    }

    /// <summary>Polls until the task has <paramref name="status"/>, and returns it as it was then.</summary>
    public static async Task<JsonElement> WaitForAsync(TestServer server, string taskId, string status)
    {
        JsonElement task = default;
        await McpSharp.Tests.TestSupport.Eventually.WaitUntilAsync(async () => (task = await GetAsync(server, taskId)).GetProperty("status").GetString() == status, $"task {taskId} to be {status}");
        return task;
    }
}

using System.Text.Json;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

// The official C# SDK's server, serving 2025 clients with sessions and 2026-07-28 clients per request
// (StatefulForInitializeClients). Its elicitation tool asks the SDK's way for both eras: an InputRequiredException,
// which the SDK sends as an input_required result to a 2026 client and turns into an elicitation/create request in a
// 2025 session.
var builder = WebApplication.CreateBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.UseUrls("http://127.0.0.1:0");

var echo = McpServerTool.Create((string text) => $"cs:{text}", new McpServerToolCreateOptions { Name = "echo", Description = "Echoes text" });

var askName = McpServerTool.Create(
    (RequestContext<CallToolRequestParams> context) =>
    {
        if (context.Params!.InputResponses is { } responses && responses.TryGetValue("who", out var response))
        {
            var answer = response.Deserialize(InputResponse.ElicitResultJsonTypeInfo);
            return answer is { IsAccepted: true } ? $"hello:{answer.Content?["name"]}" : $"declined:{answer?.Action}";
        }

        var schema = new ElicitRequestParams.RequestSchema
        {
            Properties = new Dictionary<string, ElicitRequestParams.PrimitiveSchemaDefinition> { ["name"] = new ElicitRequestParams.StringSchema() },
            Required = ["name"],
        };
        throw new InputRequiredException(
            inputRequests: new Dictionary<string, InputRequest> { ["who"] = InputRequest.ForElicitation(new ElicitRequestParams { Message = "Your name?", RequestedSchema = schema }) },
            requestState: "awaiting-name");
    },
    new McpServerToolCreateOptions { Name = "ask_name", Description = "Asks the user for a name (elicitation)" });

var greeting = McpServerResource.Create(() => "hello resource", new McpServerResourceCreateOptions { UriTemplate = "test://static/greeting", Name = "greeting", MimeType = "text/plain" });
var greet = McpServerPrompt.Create((string name) => $"Hello {name}", new McpServerPromptCreateOptions { Name = "greet", Description = "Greets someone" });

builder.Services.AddMcpServer(o => o.ServerInfo = new Implementation { Name = "cs-sdk-interop", Version = "2.4.0" })
    .WithHttpTransport(o => o.SessionMode = ModelContextProtocol.AspNetCore.HttpServerSessionMode.StatefulForInitializeClients)
    .WithTools([echo, askName])
    .WithResources([greeting])
    .WithPrompts([greet]);

var app = builder.Build();
app.MapMcp("/mcp");
await app.StartAsync();
Console.WriteLine("LISTENING " + new Uri(app.Urls.First()).Port);
await app.WaitForShutdownAsync();

using System.Text.Json;
using McpSharp.Client;
using McpSharp.Protocol;
using McpSharp.Server;
using McpSharp.Transports.InMemory;

namespace McpSharp.Authoring.Tests.TestSupport;

/// <summary>A server with generated primitives and a client connected to it in memory.</summary>
public sealed class Connected : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;

    private Connected(McpServer server, McpClient client, Task run)
    {
        Server = server;
        Client = client;
        _run = run;
    }

    public McpServer Server { get; }

    public McpClient Client { get; }

    public static Task<Connected> StartAsync(Action<McpServer> configure, McpServerOptions? options = null)
    {
        var server = new McpServer(options);
        configure(server);
        return StartAsync(server);
    }

    public static async Task<Connected> StartAsync(McpServer server)
    {
        var (clientSide, serverSide) = InMemoryTransport.CreatePair();
        var session = server.CreateSession(serverSide);
        var stop = new CancellationTokenSource();
        var run = session.RunAsync(stop.Token);
        var client = await McpClient.ConnectAsync(clientSide);
        return new Connected(server, client, run);
    }

    public Task<CallToolResult> CallAsync(string tool, string argumentsJson = "{}", IProgress<ProgressNotificationValue>? progress = null, CancellationToken cancellationToken = default)
    {
        var arguments = JsonSerializer.Deserialize(argumentsJson, ArgumentsContext.Default.DictionaryStringJsonElement)!;
        return Client.CallToolAsync(tool, arguments, progress, cancellationToken: cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await _stop.CancelAsync();
        try
        {
            await _run.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, JsonElement>))]
internal sealed partial class ArgumentsContext : System.Text.Json.Serialization.JsonSerializerContext;

public static class Results
{
    public static string Text(CallToolResult result) => string.Join("|", result.Content.OfType<TextContentBlock>().Select(t => t.Text));
}

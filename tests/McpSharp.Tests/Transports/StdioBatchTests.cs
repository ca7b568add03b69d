using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using McpSharp.Protocol;
using McpSharp.Server;
using McpSharp.Transports.Stdio;

namespace McpSharp.Tests.Transports;

/// <summary>
/// BASE-BATCH over stdio: one batch rule for every transport, so a session that negotiated 2025-03-26 may send batches
/// on stdio exactly as over HTTP (answered with one array line), and any other session gets -32600.
/// </summary>
public sealed class StdioBatchTests : IAsyncDisposable
{
    private readonly Pipe _toServer = new();
    private readonly Pipe _fromServer = new();
    private readonly StreamReader _output;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;

    public StdioBatchTests()
    {
        var server = new McpServer();
        server.Tools.Add(new Tool { Name = "echo", InputSchema = JsonDocument.Parse("""{"type":"object"}""").RootElement }, static _ => ValueTask.FromResult(CallToolResult.FromText("echoed")));
        _run = server.RunAsync(new StreamTransport(_toServer.Reader.AsStream(), _fromServer.Writer.AsStream()), _stop.Token);
        _output = new StreamReader(_fromServer.Reader.AsStream(), new UTF8Encoding(false));
    }

    private async Task SendAsync(string line) => await _toServer.Writer.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"));

    private async Task<JsonElement> ReadAsync() => JsonDocument.Parse((await _output.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)))!).RootElement.Clone();

    private async Task InitializeAsync(string version)
    {
        await SendAsync($$$$"""{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"{{{{version}}}}","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""");
        Assert.Equal(version, (await ReadAsync()).GetProperty("result").GetProperty("protocolVersion").GetString());
        await SendAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}""");
    }

    [Fact]
    public async Task In_a_2025_03_26_session_a_batch_is_answered_with_one_array_of_its_responses()
    {
        await InitializeAsync("2025-03-26");
        await SendAsync("""[{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","method":"notifications/roots/list_changed"},{"jsonrpc":"2.0","id":"two","method":"tools/call","params":{"name":"echo"}},{"jsonrpc":"1.0","id":3,"method":"ping"}]""");

        var answer = await ReadAsync();
        Assert.Equal(JsonValueKind.Array, answer.ValueKind);
        var byId = answer.EnumerateArray().ToDictionary(e => e.GetProperty("id").GetRawText());
        Assert.Equal(3, byId.Count);
        Assert.Equal(JsonValueKind.Object, byId["1"].GetProperty("result").ValueKind);
        Assert.Equal("echoed", byId["\"two\""].GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal(McpErrorCodes.InvalidRequest, byId["3"].GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task In_a_2025_11_25_session_a_batch_is_refused_with_32600_and_nothing_in_it_runs()
    {
        await InitializeAsync("2025-11-25");
        await SendAsync("""[{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo"}}]""");
        var refusal = await ReadAsync();
        Assert.Equal(McpErrorCodes.InvalidRequest, refusal.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Contains("2025-03-26", refusal.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);

        // The session goes on.
        await SendAsync("""{"jsonrpc":"2.0","id":2,"method":"ping"}""");
        Assert.Equal(2, (await ReadAsync()).GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task Initialize_inside_a_batch_is_refused()
    {
        await SendAsync("""[{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-03-26","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}]""");
        Assert.Contains("initialize must not be part of a batch", (await ReadAsync()).GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        await _toServer.Writer.CompleteAsync();
        await _stop.CancelAsync();
        try
        {
            await _run.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (OperationCanceledException)
        {
        }

        _output.Dispose();
        _stop.Dispose();
    }
}

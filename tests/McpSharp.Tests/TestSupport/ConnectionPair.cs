using System.Text;
using McpSharp.JsonRpc;
using McpSharp.Protocol;
using McpSharp.Transports.InMemory;

namespace McpSharp.Tests.TestSupport;

/// <summary>Two real JSON-RPC connections over an in-memory transport, both running, timed by one test clock (FakeTimeProvider).</summary>
internal sealed class ConnectionPair : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _runs;

    /// <param name="options">Options of both connections.</param>
    /// <param name="stallWatchOnTestClock">Whether the stall watch runs on <see cref="Time"/> too (it runs on the system clock otherwise).</param>
    public ConnectionPair(JsonRpcOptions options, bool stallWatchOnTestClock = false)
    {
        (TransportA, TransportB) = InMemoryTransport.CreatePair();
        Left = new JsonRpcConnection(TransportA, HandlerA, options, Time);
        Right = new JsonRpcConnection(TransportB, HandlerB, options, Time);
        if (stallWatchOnTestClock)
        {
            Left.StallClock = Time;
            Right.StallClock = Time;
        }

        _runs = Task.WhenAll(Left.RunAsync(_stop.Token), Right.RunAsync(_stop.Token));
    }

    public InMemoryTransport TransportA { get; }

    public InMemoryTransport TransportB { get; }

    public DelegateHandler HandlerA { get; } = new();

    public DelegateHandler HandlerB { get; } = new();

    public TestClock Time { get; } = new();

    public JsonRpcConnection Left { get; }

    public JsonRpcConnection Right { get; }

    public static JsonPayload Raw(string json) => JsonPayload.FromRaw(Encoding.UTF8.GetBytes(json));

    public static string Text(JsonPayload payload) => payload.Deserialize(McpJsonContext.Default.JsonElement).GetRawText();

    public async ValueTask DisposeAsync()
    {
        await TransportA.DisposeAsync();
        await TransportB.DisposeAsync();
        await _stop.CancelAsync();
        await _runs.WaitAsync(TimeSpan.FromSeconds(30));
        _stop.Dispose();
    }
}

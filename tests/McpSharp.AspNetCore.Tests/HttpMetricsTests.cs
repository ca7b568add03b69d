using System.Diagnostics.Metrics;
using System.Net;
using McpSharp.AspNetCore.Tests.TestSupport;
using McpSharp.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace McpSharp.AspNetCore.Tests;

/// <summary>
/// The HTTP transport's operator metrics (active sessions and streams, evictions, rejected requests by status) and the
/// MCP duration histograms, read with a <see cref="MeterListener"/> from this server's own meter (made through its
/// <see cref="IMeterFactory"/>, so other servers in the process do not count).
/// </summary>
public sealed class HttpMetricsTests : IAsyncLifetime, IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Dictionary<string, long> _observed = [];
    private readonly List<(string Name, long Value, Dictionary<string, object?> Tags)> _added = [];
    private readonly List<(string Name, Dictionary<string, object?> Tags)> _durations = [];
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync(http => http.MaxSessions = 2);
        var factory = _server.Services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory) && (instrument.Name.StartsWith("mcpsharp.", StringComparison.Ordinal) || instrument.Name.StartsWith("mcp.server.", StringComparison.Ordinal)))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((instrument, value, _, _) =>
        {
            lock (_observed)
            {
                _observed[instrument.Name] = value;
            }
        });
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            lock (_added)
            {
                _added.Add((instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value)));
            }
        });
        _listener.SetMeasurementEventCallback<double>((instrument, _, tags, _) =>
        {
            lock (_durations)
            {
                _durations.Add((instrument.Name, tags.ToArray().ToDictionary(t => t.Key, t => t.Value)));
            }
        });
        _listener.Start();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _listener.Dispose();

    private long Observed(string name)
    {
        _listener.RecordObservableInstruments();
        lock (_observed)
        {
            return _observed.GetValueOrDefault(name);
        }
    }

    private long Added(string name, string tag, object value)
    {
        lock (_added)
        {
            return _added.Where(a => a.Name == name && Equals(a.Tags.GetValueOrDefault(tag), value)).Sum(a => a.Value);
        }
    }

    [Fact]
    public async Task Live_sessions_and_open_streams_are_observed()
    {
        string first = await _server.InitializeAsync();
        await _server.InitializeAsync();
        Assert.Equal(2, Observed("mcpsharp.server.active_sessions"));
        Assert.Equal(0, Observed("mcpsharp.server.active_streams"));

        using (var get = await _server.SendAsync(HttpMethod.Get, first))
        {
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
            await Eventually.WaitUntilAsync(() => Observed("mcpsharp.server.active_streams") == 1, "the GET stream to count");
        }

        using (var delete = await _server.SendAsync(HttpMethod.Delete, first, accept: null))
        {
            Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        }

        Assert.Equal(1, Observed("mcpsharp.server.active_sessions"));
        await Eventually.WaitUntilAsync(() => Observed("mcpsharp.server.active_streams") == 0, "the GET stream to close");
    }

    [Fact]
    public async Task Rejected_requests_are_counted_by_status_and_evictions_by_reason()
    {
        using (await _server.PostAsync("""{"jsonrpc":"2.0","id":1,"method":"ping"}""", "no-such-session"))
        using (await _server.PostAsync("""{"jsonrpc":"2.0","id":1,"method":"ping"}"""))
        using (await _server.PostAsync("""{"jsonrpc":"2.0","id":1,"method":"ping"}""", "no-such-session"))
        {
        }

        Assert.Equal(2, Added("mcpsharp.server.rejected_requests", "http.response.status_code", 404));
        Assert.Equal(1, Added("mcpsharp.server.rejected_requests", "http.response.status_code", 400));

        // The limit is two: a third session evicts the longest idle one.
        await _server.InitializeAsync();
        await _server.InitializeAsync();
        await _server.InitializeAsync();
        Assert.Equal(1, Added("mcpsharp.server.evicted_sessions", "reason", "limit"));
        Assert.Equal(2, Observed("mcpsharp.server.active_sessions"));
    }

    [Fact]
    public async Task Operation_and_session_durations_are_recorded_on_this_hosts_meter_and_no_other()
    {
        await using (var other = await TestServer.StartAsync())
        {
            string elsewhere = await other.InitializeAsync();
            using (await other.PostAsync("""{"jsonrpc":"2.0","id":2,"method":"ping"}""", elsewhere))
            {
            }
        }

        lock (_durations)
        {
            Assert.Empty(_durations);
        }

        string session = await _server.InitializeAsync();
        using (await _server.PostAsync("""{"jsonrpc":"2.0","id":2,"method":"ping"}""", session))
        using (await _server.SendAsync(HttpMethod.Delete, session, accept: null))
        {
        }

        await Eventually.WaitUntilAsync(
            () =>
            {
                lock (_durations)
                {
                    return _durations.Any(d => d.Name == "mcp.server.session.duration");
                }
            },
            "the session's duration");
        lock (_durations)
        {
            Assert.Contains(_durations, d => d.Name == "mcp.server.operation.duration" && Equals(d.Tags.GetValueOrDefault("mcp.method.name"), "ping"));
        }
    }
}

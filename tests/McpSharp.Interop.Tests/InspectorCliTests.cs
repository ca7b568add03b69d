using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using McpSharp.Tests.TestSupport;

namespace McpSharp.Interop.Tests;

/// <summary>The MCP Inspector CLI (npm @modelcontextprotocol/inspector, --cli) against the sample server over HTTP.</summary>
public sealed class InspectorCliTests : IAsyncLifetime
{
    private Process _sample = null!;
    private string _url = null!;

    public async Task InitializeAsync()
    {
        await NodeInterop.EnsureInstalledAsync();
        int port = FreePort();
        _url = $"http://127.0.0.1:{port}/mcp";
        var start = new ProcessStartInfo(StdioChild.DotnetHost(), [StdioChild.SamplePath(), "--urls", $"http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _sample = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await _sample.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.Contains("Serving MCP over Streamable HTTP", StringComparison.Ordinal))
            {
                _ = _sample.StandardOutput.ReadToEndAsync(CancellationToken.None);
                return;
            }
        }

        throw new InvalidOperationException("The sample did not start.");
    }

    public Task DisposeAsync()
    {
        _sample.Kill(entireProcessTree: true);
        _sample.WaitForExit(10_000);
        _sample.Dispose();
        return Task.CompletedTask;
    }

    private async Task<JsonElement> InspectAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("node", [Path.Combine(NodeInterop.Folder, "node_modules", ".bin", "mcp-inspector"), "--cli", _url, .. arguments])
        {
            WorkingDirectory = NodeInterop.Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var inspector = Process.Start(start)!;
        var stdout = inspector.StandardOutput.ReadToEndAsync();
        var stderr = inspector.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await inspector.WaitForExitAsync(timeout.Token);
        Assert.True(inspector.ExitCode == 0, $"inspector failed ({inspector.ExitCode}): {await stderr}");
        using var document = JsonDocument.Parse(await stdout);
        return document.RootElement.Clone();
    }

    [Fact]
    public async Task Tools_list_tools_call_resources_read_and_prompts_get()
    {
        var tools = await InspectAsync("--method", "tools/list");
        Assert.Contains(tools.GetProperty("tools").EnumerateArray(), t => t.GetProperty("name").GetString() == "add");

        var call = await InspectAsync("--method", "tools/call", "--tool-name", "add", "--tool-arg", "a=2", "b=40");
        Assert.Equal("42", call.GetProperty("content")[0].GetProperty("text").GetString());

        var read = await InspectAsync("--method", "resources/read", "--uri", "sample://static/text");
        Assert.Equal("This is the content of the static text resource.", read.GetProperty("contents")[0].GetProperty("text").GetString());

        var prompt = await InspectAsync("--method", "prompts/get", "--prompt-name", "complex_prompt", "--prompt-args", "temperature=0.5", "style=formal");
        Assert.Equal("This is a complex prompt with arguments: temperature=0.5, style=formal", prompt.GetProperty("messages")[0].GetProperty("content").GetProperty("text").GetString());
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

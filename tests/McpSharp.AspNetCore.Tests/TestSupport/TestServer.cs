using System.Net;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using McpSharp.AspNetCore;
using McpSharp.AspNetCore.Sessions;
using McpSharp.Protocol;
using McpSharp.Server;
using McpSharp.Tests.Shared;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace McpSharp.AspNetCore.Tests.TestSupport;

/// <summary>A real Kestrel on 127.0.0.1, port 0, serving MCP at /mcp, driven with raw HTTP.</summary>
public sealed class TestServer : IAsyncDisposable
{
    public const string Init = """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{"sampling":{},"elicitation":{}},"clientInfo":{"name":"t","version":"1"}}}""";
    public const string Initialized = """{"jsonrpc":"2.0","method":"notifications/initialized"}""";
    public const string List = """{"jsonrpc":"2.0","id":2,"method":"tools/list"}""";
    public const string Pv = "2025-11-25";

    private readonly WebApplication _app;

    private TestServer(WebApplication app, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
        Client = new HttpClient { BaseAddress = endpoint, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri Endpoint { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    internal LiveSessions Sessions => _app.Services.GetRequiredService<LiveSessions>();

    public McpServer Server => _app.Services.GetRequiredService<McpServer>();

    public static async Task<TestServer> StartAsync(Action<McpHttpOptions>? http = null, Action<McpServer>? configure = null, TimeProvider? time = null, bool authentication = false, string url = "http://127.0.0.1:0", Action<WebApplication>? pipeline = null, Action<IServiceCollection>? services = null, Action<IMcpServerBuilder>? mcp = null)
    {
        var builder = LoopbackHost.CreateBuilder(url);
        services?.Invoke(builder.Services);
        if (time is not null)
        {
            builder.Services.AddSingleton<TimeProvider>(time);
        }

        if (authentication)
        {
            builder.Services.AddAuthentication("Test").AddScheme<AuthenticationSchemeOptions, HeaderAuthHandler>("Test", null);
        }

        var server = builder.Services.AddMcpServer(o => o.ServerInfo = new Implementation { Name = "http-test", Version = "1" })
            .WithHttpTransport(http)
            .WithServer(server =>
            {
                AddDefaultTools(server);
                configure?.Invoke(server);
            });
        mcp?.Invoke(server);
        var app = builder.Build();
        if (authentication)
        {
            app.UseAuthentication();
        }

        pipeline?.Invoke(app);
        app.MapMcp("/mcp");
        return new TestServer(app, await LoopbackHost.StartAsync(app));
    }

    private static void AddDefaultTools(McpServer server)
    {
        server.Tools.Add(
            new Tool { Name = "echo", InputSchema = Json("""{"type":"object","properties":{"text":{"type":"string"}}}""") },
            static ctx => ValueTask.FromResult(CallToolResult.FromText("echo:" + ctx.Params.Arguments?["text"].GetString())));
    }

    public static JsonElement Json(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }

    /// <summary>A POST with the given headers (standard ones unless overridden); does not read the body.</summary>
    public Task<HttpResponseMessage> PostAsync(string body, string? sessionId = null, string? protocolVersion = Pv, string accept = "application/json, text/event-stream", string contentType = "application/json", Action<HttpRequestMessage>? configure = null) =>
        SendAsync(HttpMethod.Post, sessionId, protocolVersion, accept, request =>
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            configure?.Invoke(request);
        });

    /// <summary>A request with the MCP headers given (null leaves one out); does not read the body.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string? sessionId, string? protocolVersion = Pv, string? accept = "text/event-stream", Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(method, Endpoint);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        if (sessionId is not null)
        {
            request.Headers.Add("MCP-Session-Id", sessionId);
        }

        if (protocolVersion is not null)
        {
            request.Headers.Add("MCP-Protocol-Version", protocolVersion);
        }

        configure?.Invoke(request);
        return await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    /// <summary>initialize + notifications/initialized; returns the session id.</summary>
    public async Task<string> InitializeAsync(string? user = null)
    {
        using var init = await PostAsync(Init, protocolVersion: null, configure: r => AddUser(r, user));
        Assert.Equal(HttpStatusCode.OK, init.StatusCode);
        string sessionId = init.Headers.GetValues("MCP-Session-Id").Single();
        _ = await ReadMessagesAsync(init);
        using var initialized = await PostAsync(Initialized, sessionId, configure: r => AddUser(r, user));
        Assert.Equal(HttpStatusCode.Accepted, initialized.StatusCode);
        return sessionId;
    }

    public static void AddUser(HttpRequestMessage request, string? user)
    {
        if (user is not null)
        {
            request.Headers.Add("X-Test-User", user);
        }
    }

    /// <summary>The JSON-RPC messages of a response: one JSON body, or every non-empty SSE data event.</summary>
    public static async Task<List<JsonElement>> ReadMessagesAsync(HttpResponseMessage response)
    {
        var messages = new List<JsonElement>();
        if (response.Content.Headers.ContentType?.MediaType == "text/event-stream")
        {
            await foreach (var item in ReadEventsAsync(response))
            {
                if (item.Data.Length > 0)
                {
                    messages.Add(Json(item.Data));
                }
            }
        }
        else
        {
            string body = await response.Content.ReadAsStringAsync();
            if (body.Length > 0)
            {
                var root = Json(body);
                messages.AddRange(root.ValueKind == JsonValueKind.Array ? root.EnumerateArray() : [root]);
            }
        }

        return messages;
    }

    /// <summary>The events that carry a message: priming events (an id and empty data, SSE-PRIME) skipped.</summary>
    public static IAsyncEnumerable<SseItem<string>> ReadMessageEventsAsync(HttpResponseMessage response) =>
        ReadEventsAsync(response).Where(static e => e.Data.Length > 0);

    public static async IAsyncEnumerable<SseItem<string>> ReadEventsAsync(HttpResponseMessage response)
    {
        var stream = await response.Content.ReadAsStreamAsync();
        await foreach (var item in SseParser.Create(stream).EnumerateAsync())
        {
            yield return item;
        }
    }

    public static async Task<JsonElement> ErrorAsync(HttpResponseMessage response) => Json(await response.Content.ReadAsStringAsync());

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }

    /// <summary>Authenticates whoever sends X-Test-User, as that user.</summary>
    private sealed class HeaderAuthHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            string? user = Request.Headers["X-Test-User"];
            if (string.IsNullOrEmpty(user))
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user)], "Test");
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), "Test")));
        }
    }
}

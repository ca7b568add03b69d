using McpSharp.Authoring.Tests.Catalogue;
using McpSharp.Authoring.Tests.TestSupport;
using McpSharp.Protocol;
using McpSharp.Server;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace McpSharp.Authoring.Tests;

/// <summary>Instance methods and services: resolved per call from a DI scope, through the hosting builder.</summary>
public sealed class DependencyInjectionTests : IAsyncLifetime
{
    private ServiceProvider _services = null!;
    private Connected _peer = null!;

    public async Task InitializeAsync()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IGreeter, Greeter>();
        services.AddScoped<CallScope>();
        services.AddMcpServer(o => o.ServerInfo = new Implementation { Name = "di", Version = "1" })
            .WithTools<Library>()
            .WithResources<Library>()
            .WithPrompts<Library>()
            .WithTools<Plain>();
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        var server = _services.GetRequiredService<McpServer>();
        _peer = await Connected.StartAsync(server);
    }

    public async Task DisposeAsync()
    {
        await _peer.DisposeAsync();
        await _services.DisposeAsync();
    }

    [Fact]
    public async Task Instance_tools_get_constructor_services_and_are_disposed_after_each_call()
    {
        int created = Library.Created, disposed = Library.DisposedCount, scopes = CallScope.Disposed;
        Assert.Equal("Hello, Ada!", Results.Text(await _peer.CallAsync("greet", """{"name":"Ada"}""")));
        Assert.Equal("Hello, Bo!", Results.Text(await _peer.CallAsync("greet", """{"name":"Bo"}""")));
        Assert.Equal(created + 2, Library.Created);
        Assert.Equal(disposed + 2, Library.DisposedCount);
        Assert.Equal(scopes + 2, CallScope.Disposed);
    }

    [Fact]
    public async Task Service_parameters_come_from_the_same_scope_as_the_instance_and_are_not_in_the_schema()
    {
        Assert.Equal("True True True", Results.Text(await _peer.CallAsync("same_scope")));
        Assert.True(_peer.Server.Tools.TryGet("same_scope", out var tool));
        Assert.Equal("""{"type":"object","properties":{}}""", tool.Definition.InputSchema.GetRawText());
    }

    [Fact]
    public async Task Fixed_resources_and_templates_bind_variables_and_map_their_results()
    {
        var resources = await _peer.Client.ListResourcesAsync();
        var readme = Assert.Single(resources.Resources);
        Assert.Equal(("library://readme", "readme", "Read me", "How to use the library.", "text/markdown"), (readme.Uri, readme.Name, readme.Title, readme.Description, readme.MimeType));
        var templates = (await _peer.Client.ListResourceTemplatesAsync()).ResourceTemplates.Select(t => t.UriTemplate).Order(StringComparer.Ordinal);
        Assert.Equal(["library://books/{id}", "library://covers/{id}.png", "library://shelves/{shelf}/{kind}"], templates);

        var text = Assert.IsType<TextResourceContents>(Assert.Single((await _peer.Client.ReadResourceAsync("library://readme")).Contents));
        Assert.Equal(("library://readme", "text/markdown", "# Library"), (text.Uri, text.MimeType, text.Text));

        var book = Assert.IsType<TextResourceContents>(Assert.Single((await _peer.Client.ReadResourceAsync("library://books/7")).Contents));
        Assert.Equal(("library://books/7", "application/json", """{"id":7,"title":"Book 7","authors":["Ann","Bo"]}"""), (book.Uri, book.MimeType, book.Text));

        var id = Guid.NewGuid();
        var cover = Assert.IsType<BlobResourceContents>(Assert.Single((await _peer.Client.ReadResourceAsync($"library://covers/{id}.png")).Contents));
        Assert.Equal(Convert.ToBase64String(id.ToByteArray()), cover.Blob);
        Assert.Equal("application/octet-stream", cover.MimeType);

        var shelf = Assert.IsType<TextResourceContents>(Assert.Single((await _peer.Client.ReadResourceAsync("library://shelves/top/imperial")).Contents));
        Assert.Equal("top:Imperial", shelf.Text);
    }

    [Fact]
    public async Task A_template_variable_that_does_not_convert_is_resource_not_found()
    {
        var error = await Assert.ThrowsAsync<McpProtocolException>(() => _peer.Client.ReadResourceAsync("library://books/seven"));
        // The client speaks 2026-07-28 by default, where a resource that is not there is -32602 (-32002 in 2025).
        Assert.True(_peer.Client.IsPerRequest);
        Assert.Equal(McpErrorCodes.InvalidParams, error.ErrorCode);
        Assert.Contains("'id' must be an integer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prompts_declare_their_arguments_and_bind_them()
    {
        var prompts = (await _peer.Client.ListPromptsAsync()).Prompts.OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        Assert.Equal(["conversation", "summarize"], prompts.Select(p => p.Name));
        var summarize = prompts[1];
        Assert.Equal(("Summary", "Asks for a summary."), (summarize.Title, summarize.Description));
        Assert.Equal(
            [("topic", "What to summarise.", true), ("words", "How long the summary may be.", false)],
            summarize.Arguments!.Select(a => (a.Name, a.Description, a.Required == true)));
        Assert.Equal([("question", true), ("units", false)], prompts[0].Arguments!.Select(a => (a.Name, a.Required == true)));

        var result = await _peer.Client.GetPromptAsync("summarize", new Dictionary<string, string> { ["topic"] = "MCP", ["words"] = "10" });
        Assert.Equal("Asks for a summary.", result.Description);
        Assert.Equal("Hello, reader! Summarise MCP in 10 words.", ((TextContentBlock)Assert.Single(result.Messages).Content).Text);

        var chat = await _peer.Client.GetPromptAsync("conversation", new Dictionary<string, string> { ["question"] = "Why?", ["units"] = "metric" });
        Assert.Equal([Role.User, Role.Assistant], chat.Messages.Select(m => m.Role));
        Assert.Equal("Answering in Metric units.", ((TextContentBlock)chat.Messages[1].Content).Text);
    }

    [Fact]
    public async Task A_prompt_argument_that_does_not_convert_is_invalid_params()
    {
        var error = await Assert.ThrowsAsync<McpProtocolException>(() => _peer.Client.GetPromptAsync("summarize", new Dictionary<string, string> { ["topic"] = "x", ["words"] = "many" }));
        Assert.Equal(McpErrorCodes.InvalidParams, error.ErrorCode);
        Assert.Contains("'words'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_instance_type_with_a_parameterless_constructor_needs_no_container()
    {
        Assert.Equal("""{"result":42}""", Results.Text(await _peer.CallAsync("twice", """{"value":21}""")));
        var server = new McpServer().AddTools<Plain>();
        Assert.True(server.Tools.TryGet("twice", out _));
    }

    [Fact]
    public void Registering_a_type_that_needs_services_without_a_provider_fails_at_once()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new McpServer().AddTools<Library>());
        Assert.Contains("resolve services", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_assembly_wide_form_registers_every_generated_type()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IGreeter, Greeter>();
        services.AddScoped<CallScope>();
        services.AddMcpServer().WithPrimitivesFromAssembly(typeof(Library).Assembly);
        using var provider = services.BuildServiceProvider();
        var server = provider.GetRequiredService<McpServer>();
        foreach (string tool in new[] { "echo", "get_forecast", "greet", "twice", "wait_for_cancel" })
        {
            Assert.True(server.Tools.TryGet(tool, out _), tool);
        }

        Assert.True(server.Prompts.TryGet("summarize", out _));
        Assert.True(server.Resources.TryGet("library://readme", out _));
    }

    [Fact]
    public void Options_bind_from_configuration_and_a_bad_value_names_its_key()
    {
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Mcp:PageSize"] = "7", ["Mcp:Instructions"] = "Be brief.", ["Mcp:JsonRpc:RequestTimeout"] = "00:00:05" })
            .Build();
        var services = new ServiceCollection().AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(configuration);
        services.AddMcpServer().BindConfiguration();
        using (var provider = services.BuildServiceProvider())
        {
            var options = provider.GetRequiredService<McpServer>().Options;
            Assert.Equal((7, "Be brief.", TimeSpan.FromSeconds(5)), (options.PageSize, options.Instructions, options.JsonRpc.RequestTimeout));
        }

        configuration["Mcp:PageSize"] = "many";
        using var broken = services.BuildServiceProvider();
        var error = Assert.Throws<InvalidOperationException>(() => broken.GetRequiredService<McpServer>());
        Assert.Contains("'Mcp:PageSize' = 'many'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_type_without_generated_primitives_is_refused_with_a_clear_message()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new McpServer().AddTools<DependencyInjectionTests>());
        Assert.Contains("source generator", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => new McpServer().AddPrompts(typeof(SchemaTools)));
    }
}

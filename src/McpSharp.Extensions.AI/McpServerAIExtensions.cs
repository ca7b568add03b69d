using System.Buffers;
using System.Text;
using System.Text.Json;
using McpSharp.Hosting;
using McpSharp.Protocol;
using McpSharp.Server;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace McpSharp.Extensions.AI;

/// <summary>The server's side of the Microsoft.Extensions.AI bridge: existing <see cref="AIFunction"/>s served as MCP tools.</summary>
public static class McpServerAIExtensions
{
    /// <summary>Serves each of <paramref name="functions"/> as a tool of the server being built (see <see cref="Add(ToolRegistry, AIFunction, IServiceProvider?)"/>).</summary>
    public static IMcpServerBuilder WithAIFunctions(this IMcpServerBuilder builder, params IEnumerable<AIFunction> functions)
    {
        ArgumentNullException.ThrowIfNull(functions);
        AIFunction[] list = [.. functions];
        return builder.WithServer((server, services) =>
        {
            foreach (var function in list)
            {
                server.Tools.Add(function, services);
            }
        });
    }

    /// <summary>
    /// Serves <paramref name="function"/> as a tool: its name, description and parameter schema are the tool's; its
    /// return schema becomes the tool's output schema when it describes an object (MCP's rule for output schemas).
    /// </summary>
    /// <remarks>
    /// The call's arguments reach the function as <see cref="JsonElement"/>s (what an <see cref="AIFunctionFactory"/>
    /// function binds from), with <paramref name="services"/> as <see cref="AIFunctionArguments.Services"/> and the
    /// call's <see cref="McpRequestContext"/> in <see cref="AIFunctionArguments.Context"/> under
    /// <c>typeof(McpRequestContext)</c> (for progress, logging, sampling); the call's cancellation token is the
    /// invocation's. What it returns becomes the result: a <see cref="CallToolResult"/> as it is; a string as text;
    /// <see cref="AIContent"/>s as content blocks (an <see cref="ErrorContent"/> makes it a tool error); JSON (what an
    /// <see cref="AIFunctionFactory"/> function returns) as its text, and also as <c>structuredContent</c> when the tool
    /// declares an output schema; anything else serialized with the function's <see cref="AIFunction.JsonSerializerOptions"/>.
    /// An exception is a tool error the model sees, as for every McpSharp tool.
    /// </remarks>
    public static void Add(this ToolRegistry tools, AIFunction function, IServiceProvider? services = null)
    {
        ArgumentNullException.ThrowIfNull(tools);
        ArgumentNullException.ThrowIfNull(function);
        var definition = new Tool
        {
            Name = function.Name,
            Description = string.IsNullOrEmpty(function.Description) ? null : function.Description,
            InputSchema = function.JsonSchema,
            OutputSchema = function.ReturnJsonSchema is { ValueKind: JsonValueKind.Object } schema
                && schema.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.ValueEquals("object") ? schema : null,
        };
        bool structured = definition.OutputSchema is not null;
        tools.Add(definition, async context =>
        {
            var arguments = new AIFunctionArguments(context.Params.Arguments?.ToDictionary(p => p.Key, p => (object?)p.Value) ?? [])
            {
                Services = services,
                Context = new Dictionary<object, object?> { [typeof(McpRequestContext)] = context },
            };
            object? value = await function.InvokeAsync(arguments, context.CancellationToken).ConfigureAwait(false);
            return ToResult(value, structured, function.JsonSerializerOptions);
        });
    }

    private static CallToolResult ToResult(object? value, bool structured, JsonSerializerOptions options)
    {
        switch (value)
        {
            case null:
                return new CallToolResult();
            case CallToolResult result:
                return result;
            case string text:
                return CallToolResult.FromText(text);
            case AIContent content:
                return FromContents([content]);
            case IEnumerable<AIContent> contents:
                return FromContents(contents);
            default:
                var json = ContentMapping.ToJson(value, options);
                return json.ValueKind switch
                {
                    JsonValueKind.String => CallToolResult.FromText(json.GetString()!),
                    JsonValueKind.Null or JsonValueKind.Undefined => new CallToolResult(),
                    JsonValueKind.Object when structured => new CallToolResult { Content = [new TextContentBlock(Compact(json))], StructuredContent = json },
                    _ => CallToolResult.FromText(Compact(json)),
                };
        }
    }

    // The text twin of JSON, without the indentation AIJsonUtilities.DefaultOptions writes.
    private static string Compact(JsonElement json)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            json.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static CallToolResult FromContents(IEnumerable<AIContent> contents)
    {
        var list = contents.ToList();
        return new CallToolResult
        {
            Content = [.. list.Select(ContentMapping.ToContentBlock).OfType<ContentBlock>()],
            IsError = list.Any(c => c is ErrorContent) ? true : null,
        };
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using McpSharp.Protocol;

namespace McpSharp.Tests.Protocol;

// Linked into bench/McpSharp.Benchmarks as well (ConverterBenchmarks): the same reference in the tests and the benchmark.

/// <summary>
/// What System.Text.Json's generated code does with the hot protocol types' shapes when no hand-written converter is
/// in the way: types of the same members, in the same order, read and written with a copy of
/// <see cref="McpJsonContext"/>'s options.
/// </summary>
public static class Reference
{
    /// <summary>The generated metadata, with the MCP context's options.</summary>
    public static ReferenceContext Context { get; } = new(new JsonSerializerOptions(McpJsonContext.Default.Options) { TypeInfoResolver = null });
}

/// <summary>The shape of <see cref="CallToolRequestParams"/>, members in its order, with no converter.</summary>
public sealed class ReferenceCallToolParams
{
    public required string Name { get; set; }

    public Dictionary<string, JsonElement>? Arguments { get; set; }

    public Dictionary<string, JsonElement>? InputResponses { get; set; }

    public string? RequestState { get; set; }

    [JsonPropertyName("_meta")]
    public JsonObject? Meta { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>The shape of <see cref="CallToolResult"/>, members in its order, with no converter.</summary>
public sealed class ReferenceCallToolResult
{
    public IList<ContentBlock> Content { get; set; } = [];

    public JsonElement? StructuredContent { get; set; }

    public bool? IsError { get; set; }

    [JsonPropertyName("_meta")]
    public JsonObject? Meta { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>The generated metadata of the reference types (options given at run time: <see cref="Reference.Context"/>).</summary>
[JsonSerializable(typeof(ReferenceCallToolParams))]
[JsonSerializable(typeof(ReferenceCallToolResult))]
[JsonSerializable(typeof(string))]
public sealed partial class ReferenceContext : JsonSerializerContext;

using System.Collections.Immutable;
using McpSharp.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace McpSharp.Authoring.Tests;

/// <summary>Compiles small sources with the generator and asserts what it reports, and that clean code compiles.</summary>
public sealed class GeneratorDiagnosticsTests
{
    private static readonly Lazy<MetadataReference[]> References = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => p.EndsWith(".dll", StringComparison.Ordinal))
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToArray());

    /// <summary>
    /// The generator's own diagnostics, and every error of the resulting compilation plus every warning located in
    /// generated code (users build with warnings as errors, so generated code must not warn).
    /// </summary>
    private static (ImmutableArray<Diagnostic> Generator, ImmutableArray<Diagnostic> Compiled) Run(string source)
    {
        var compilation = CSharpCompilation.Create(
            "Sample",
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest), path: "Sample.cs")],
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        CSharpGeneratorDriver.Create(new McpPrimitivesGenerator())
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        return (diagnostics, output.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error || (d.Severity == DiagnosticSeverity.Warning && d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true))
            .ToImmutableArray());
    }

    private const string Usings = "using System; using System.Collections.Generic; using System.Threading; using System.Threading.Tasks; using McpSharp.Authoring; using McpSharp.Protocol;\n";

    private static Diagnostic Single(string source, string id)
    {
        var (generator, _) = Run(Usings + source);
        return Assert.Single(generator, d => d.Id == id);
    }

    [Fact]
    public void Clean_code_reports_nothing_and_the_generated_code_compiles()
    {
        var (generator, compiled) = Run(Usings + """
            public record Item(string Name, int? Count = null);
            public static class Tools
            {
                [McpTool] public static string Echo(string text) => text;
                [McpTool] public static Task<Item> Find(Item item, CancellationToken ct) => Task.FromResult(item);
                [McpResource("x://items/{id}")] public static string Read(int id) => id.ToString();
                [McpPrompt] public static string Ask(string topic) => topic;
            }
            """);
        Assert.Empty(generator);
        Assert.Empty(compiled);
    }

    [Fact]
    public void Keywords_as_names_of_parameters_properties_enum_members_and_methods_compile()
    {
        var (generator, compiled) = Run(Usings + """
            public enum Kind { @class, @struct }
            public sealed class Options { public string? @event { get; set; } public Kind @default { get; init; } }
            public sealed record Shape(int @base, Kind @params);
            public static class Tools
            {
                [McpTool("keywords")] public static Shape @return(Options @object, Shape @in, Kind @operator = Kind.@struct) => @in;
            }
            """);
        Assert.Empty(generator);
        Assert.Empty(compiled);
    }

    [Fact]
    public void Review_regressions_compile_without_warnings_in_generated_code()
    {
        var (generator, compiled) = Run(Usings + """
            public enum Priority { Low, Normal, High, Default = Normal }
            public sealed class Opts { public int Limit { get; init; } = 10; public required string Owner { get; init; } }
            public sealed record Q(int? Count = null, string? Name = null);
            public static class Tools
            {
                [McpTool] public static Priority A(List<string> names, List<string?> maybe, Dictionary<string, int?> counts, Opts opts, Q q) => Priority.Default;
                [McpTool] public static string Defaults(double nan = double.NaN, float inf = float.PositiveInfinity, decimal precise = 1.0000000000000001m, short small = 3, long big = 9007199254740993L, Priority p = Priority.High) => "";
                [McpResource("x://s{?q,page}")] public static string S(string? q, int page = 1) => "";
                [McpPrompt] public static string P(Priority level, Uri? link = null) => "";
            }
            public sealed class Svc { public Svc() { } public Svc(IServiceProvider services, string? optional = null) { } [McpTool] public string Inst() => ""; }
            public struct Point { public int X { get; set; } public int Y { get; set; } [McpTool] public int Sum() => X + Y; }
            """);
        Assert.Empty(generator);
        Assert.Empty(compiled);
    }

    [Theory]
    [InlineData("[Flags] public enum F { A = 1, B = 2 }", "F f", "[Flags] enum")]
    [InlineData("", "TimeSpan t", "not a supported type")]
    [InlineData("", "System.Collections.Immutable.ImmutableArray<string> a", "not a supported type")]
    [InlineData("public sealed class Q { public Q(int limit) { } public long Limit { get; } }", "Q q", "no public constructor")]
    public void Types_the_generator_cannot_bind_faithfully_are_refused(string declarations, string parameter, string reason)
    {
        var diagnostic = Single(declarations + $$""" public static class T { [McpTool] public static void M({{parameter}}) { } }""", "MCPGEN004");
        Assert.Contains(reason, diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[McpHeader(\"\")] string a", "is not a header name")]
    [InlineData("[McpHeader(\"My Region\")] string a", "is not a header name")]
    [InlineData("[McpHeader(\"Région\")] string a", "is not a header name")]
    [InlineData("[McpHeader(\"Region\")] string a, [McpHeader(\"region\")] string b", "already the header of another parameter")]
    [InlineData("[McpHeader(\"Ratio\")] double a", "only string, boolean and integer")]
    [InlineData("[McpHeader(\"Tags\")] string[] a", "only string, boolean and integer")]
    [InlineData("[McpHeader(\"Big\")] long a", "can exceed")]
    [InlineData("[McpHeader(\"Maybe\")] string? a", "is nullable")]
    [InlineData("[McpHeader(\"Token\")] CancellationToken ct", "not an argument from the client")]
    public void An_invalid_McpHeader_is_an_error_naming_the_rule_M26_HTTP_XMCP_VALIDITY_MCPGEN009(string parameters, string reason)
    {
        var diagnostic = Single($$""" public static class T { [McpTool] public static void M({{parameters}}) { } }""", "MCPGEN009");
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Contains(reason, diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void McpHeader_on_a_prompt_or_resource_parameter_is_an_error_MCPGEN009()
    {
        Single("""public static class T { [McpPrompt] public static string P([McpHeader("Topic")] string topic) => topic; }""", "MCPGEN009");
        Single("""public static class T { [McpResource("x://{id}")] public static string R([McpHeader("Id")] string id) => id; }""", "MCPGEN009");
    }

    [Fact]
    public void Valid_McpHeaders_report_nothing_and_compile()
    {
        var (generator, compiled) = Run(Usings + """
            public enum Tier { Free, Paid }
            public static class T
            {
                [McpTool] public static string M([McpHeader("Region")] string region, [McpHeader("N")] int n, [McpHeader("On")] bool on = true, [McpHeader("Tier")] Tier tier = Tier.Free, [McpHeader("Small")] short small = 0) => region;
            }
            """);
        Assert.Empty(generator);
        Assert.Empty(compiled);
    }

    [Fact]
    public void An_unsupported_return_is_reported_on_the_return_type()
    {
        var diagnostic = Single("public static class T { [McpTool] public static Action M() => () => { }; }", "MCPGEN005");
        Assert.Equal("Action", diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan));
    }

    [Fact]
    public void An_invalid_tool_name_is_an_error_naming_it_MCPGEN001()
    {
        var diagnostic = Single("public static class T { [McpTool(\"bad name!\")] public static void M() { } }", "MCPGEN001");
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Contains("'bad name!'", diagnostic.GetMessage(), StringComparison.Ordinal);
        Single("public static class T { [McpTool(\"" + new string('a', 129) + "\")] public static void M() { } }", "MCPGEN001");
    }

    [Fact]
    public void Duplicate_names_in_one_type_are_errors_and_across_types_warnings_MCPGEN002_MCPGEN003()
    {
        var (generator, _) = Run(Usings + """
            public static class A { [McpTool("same")] public static void M1() { } [McpTool("same")] public static void M2() { } }
            public static class B { [McpTool] public static void Other() { } }
            public static class C { [McpTool("other")] public static void X() { } }
            """);
        Assert.Equal(2, generator.Count(d => d.Id == "MCPGEN002" && d.Severity == DiagnosticSeverity.Error));
        Assert.Equal(2, generator.Count(d => d.Id == "MCPGEN003" && d.Severity == DiagnosticSeverity.Warning));
        Assert.Contains(generator, d => d.Id == "MCPGEN003" && d.GetMessage().Contains("'C'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("System.IO.Stream s", "not a supported type")]
    [InlineData("Shape s", "not a concrete class")]
    [InlineData("int[,] grid", "multi-dimensional")]
    [InlineData("Dictionary<int, string> map", "keys must be strings")]
    [InlineData("Node node", "refers to itself")]
    [InlineData("NoProps value", "no public properties")]
    [InlineData("NoConstructor value", "no public constructor")]
    public void Unsupported_parameter_types_are_errors_with_the_reason_MCPGEN004(string parameter, string reason)
    {
        var diagnostic = Single($$"""
            public sealed class Node { public Node? Next { get; set; } }
            public sealed class NoProps { }
            public abstract class Shape { public int Sides { get; set; } }
            public sealed class NoConstructor { private NoConstructor() { } public int X { get; } }
            public static class T { [McpTool] public static void M({{parameter}}) { } }
            """, "MCPGEN004");
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Contains(reason, diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_private_method_or_a_method_in_a_generic_type_is_an_error_MCPGEN006()
    {
        Single("public static class T { [McpTool] private static void M() { } }", "MCPGEN006");
        Single("public class G<X> { [McpTool] public static void M() { } }", "MCPGEN006");
    }

    [Fact]
    public void Generic_methods_and_ref_parameters_are_errors_MCPGEN007()
    {
        Assert.Contains("generic", Single("public static class T { [McpTool] public static void M<X>() { } }", "MCPGEN007").GetMessage(), StringComparison.Ordinal);
        Assert.Contains("ref or out", Single("public static class T { [McpTool] public static void M(ref int x) { } }", "MCPGEN007").GetMessage(), StringComparison.Ordinal);
        Assert.Contains("concrete class", Single("public abstract class T { [McpTool] public void M() { } }", "MCPGEN007").GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void Template_variables_and_parameters_must_match_MCPGEN008()
    {
        Assert.Contains("'other'", Single("public static class T { [McpResource(\"x://{id}\")] public static string M(string id, string other) => id; }", "MCPGEN008").GetMessage(), StringComparison.Ordinal);
        Assert.Contains("variable 'id'", Single("public static class T { [McpResource(\"x://{id}\")] public static string M() => \"\"; }", "MCPGEN008").GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void Unsupported_returns_are_errors_MCPGEN005()
    {
        Single("public static class T { [McpResource(\"x://a\")] public static void M() { } }", "MCPGEN005");
        Single("public static class T { [McpPrompt] public static int M() => 1; }", "MCPGEN005");
        Single("public static class T { [McpTool] public static Action M() => () => { }; }", "MCPGEN005");
    }

    [Fact]
    public void Prompt_and_template_parameters_must_be_text_convertible()
    {
        Single("public record P(int X); public static class T { [McpPrompt] public static string M(P p) => \"\"; }", "MCPGEN004");
    }

    [Theory]
    [InlineData("GetWeatherAsync", "get_weather")]
    [InlineData("Echo", "echo")]
    [InlineData("ReadURL", "read_url")]
    [InlineData("ToHTMLString", "to_html_string")]
    [InlineData("Sha256Hash", "sha256_hash")]
    public void Default_names_are_the_method_name_in_snake_case(string method, string expected) =>
        Assert.Equal(expected, Naming.SnakeCase(method));
}

using System.ComponentModel;
using McpSharp.Authoring;
using McpSharp.Protocol;

namespace McpSharp.Authoring.Tests.Catalogue;

public interface IGreeter
{
    string Greet(string name);
}

public sealed class Greeter : IGreeter
{
    public string Greet(string name) => $"Hello, {name}!";
}

/// <summary>A scoped service: one per call; counts how many were disposed.</summary>
public sealed class CallScope : IDisposable
{
    private static int s_disposed;

    public static int Disposed => Volatile.Read(ref s_disposed);

    public Guid Id { get; } = Guid.NewGuid();

    public void Dispose() => Interlocked.Increment(ref s_disposed);
}

public sealed record Book(int Id, string Title, IReadOnlyList<string> Authors);

/// <summary>
/// Instance tools, resources and prompts with constructor injection: created per call from a DI scope, disposed with it.
/// </summary>
public sealed class Library(IGreeter greeter, CallScope scope) : IDisposable
{
    private static int s_created;
    private static int s_disposed;

    public static int Created => Volatile.Read(ref s_created);

    public static int DisposedCount => Volatile.Read(ref s_disposed);

    private readonly int _created = Interlocked.Increment(ref s_created);

    [McpTool, Description("Greets someone.")]
    public string Greet(string name) => greeter.Greet(name);

    /// <summary>Shows that a service parameter and the constructor share the call's scope.</summary>
    [McpTool]
    public string SameScope([FromServices] CallScope fromParameter, IGreeter alsoInjected) =>
        $"{fromParameter.Id == scope.Id} {alsoInjected is Greeter} {_created > 0}";

    [McpResource("library://readme", Title = "Read me", MimeType = "text/markdown"), Description("How to use the library.")]
    public string Readme() => "# Library";

    [McpResource("library://books/{id}", MimeType = "application/json")]
    public Book GetBook(int id) => new(id, $"Book {id}", ["Ann", "Bo"]);

    [McpResource("library://covers/{id}.png")]
    public static byte[] Cover(Guid id) => id.ToByteArray();

    [McpResource("library://shelves/{shelf}/{kind}")]
    public static ResourceContents Shelf(string shelf, Units kind) => new TextResourceContents { Uri = $"library://shelves/{shelf}/{kind}", Text = $"{shelf}:{kind}" };

    /// <summary>Asks for a summary.</summary>
    /// <param name="topic">What to summarise.</param>
    /// <param name="words">How long the summary may be.</param>
    [McpPrompt(Title = "Summary")]
    public string Summarize(string topic, int words = 50) => $"{greeter.Greet("reader")} Summarise {topic} in {words} words.";

    [McpPrompt("conversation")]
    public static IEnumerable<PromptMessage> Chat(string question, Units? units = null) =>
    [
        new PromptMessage { Role = Role.User, Content = new TextContentBlock(question) },
        new PromptMessage { Role = Role.Assistant, Content = new TextContentBlock($"Answering in {units?.ToString() ?? "any"} units.") },
    ];

    public void Dispose() => Interlocked.Increment(ref s_disposed);
}

/// <summary>A class with a parameterless constructor: its instance tools work without any service provider.</summary>
public sealed class Plain
{
    [McpTool]
    public int Twice(int value) => value * 2;
}

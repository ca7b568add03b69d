using McpSharp.Authoring;
using McpSharp.Protocol;

namespace McpSharp.Authoring.Tests.Catalogue;

public enum Priority
{
    Low,
    Normal,
    High,
    Default = Normal,
}

/// <summary>A class with init-only properties and initializers: absent arguments keep the initializer's value.</summary>
public sealed class Paging
{
    public int Limit { get; init; } = 10;

    public string Order { get; init; } = "asc";
}

/// <summary>Edge cases the review of the generator found; each has a regression test.</summary>
public static class EdgeTools
{
    [McpTool]
    public static Priority Prioritize(Priority priority) => priority;

    [McpTool]
    public static string Page(Paging paging) => $"{paging.Limit} {paging.Order}";

    [McpTool]
    public static int Lists(List<string> names, List<string?> maybeNames) => names.Count + maybeNames.Count(n => n is null);

    [McpTool]
    public static Place MaybePlace(bool give) => give ? new Place("Oslo") : null!;

    [McpTool]
    public static string Values(DateTimeOffset when, HashSet<int> unique, float ratio, ulong big, Uri link) => $"{when:O} {unique.Count} {ratio} {big} {link}";

    [McpResource("edge://search{?q,page}")]
    public static string Search(string? q, int page = 1) => $"{q ?? "-"} {page}";

    [McpResource("edge://item/{id}{?rev}")]
    public static string Item(string id, int rev) => $"{id} {rev}";

    [McpPrompt]
    public static string Rank(Priority priority) => priority.ToString();
}

/// <summary>Two constructors: without a container the parameterless one is used.</summary>
public sealed class TwoConstructors
{
    private readonly string _who;

    public TwoConstructors() => _who = "parameterless";

    public TwoConstructors(IGreeter greeter) => _who = greeter.Greet("di");

    [McpTool]
    public string Who() => _who;
}

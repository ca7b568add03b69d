using System.CommandLine;

namespace McpSharp.Cli;

/// <summary>The options every command that talks to a server takes.</summary>
internal sealed class SharedOptions
{
    public Option<string[]> Headers { get; } = new("--header", "-H")
    {
        Description = "An HTTP header sent with every request, \"Name: value\" (repeatable).",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string?> Bearer { get; } = new("--bearer") { Description = "A bearer token (sent as Authorization: Bearer ...)." };

    public Option<bool> Login { get; } = new("--login")
    {
        Description = "Sign in with OAuth when the server asks: the browser opens the authorization server, which sends it back "
            + "to a listener on 127.0.0.1 (the URL is printed too; connecting may then take up to 5 minutes).",
    };

    public Option<string?> ClientId { get; } = new("--client-id")
    {
        Description = "With --login: a public client id registered with the authorization server; otherwise the client registers itself.",
    };

    public Option<TimeSpan> Timeout { get; } = new("--timeout")
    {
        Description = "How long one request may take (default 00:00:30).",
        DefaultValueFactory = _ => TimeSpan.FromSeconds(30),
    };

    public Option<string> Protocol { get; } = new("--protocol")
    {
        Description = "The protocol revision: auto (default: 2026-07-28 when the server speaks it), 2026-07-28, or 2025-11-25.",
        DefaultValueFactory = _ => "auto",
    };

    public Option<bool> Json { get; } = new("--json") { Description = "Write JSON instead of tables and text." };

    /// <summary>The headers every request carries: each <c>--header</c>, and <c>--bearer</c> as Authorization.</summary>
    /// <exception cref="UsageException">A header that is not "Name: value".</exception>
    public List<(string Name, string Value)> ReadHeaders(ParseResult parsed)
    {
        var headers = new List<(string Name, string Value)>();
        foreach (string header in parsed.GetValue(Headers) ?? [])
        {
            int colon = header.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new UsageException($"A header is \"Name: value\", not '{header}'.");
            }

            headers.Add((header[..colon].Trim(), header[(colon + 1)..].Trim()));
        }

        if (parsed.GetValue(Bearer) is { } bearer)
        {
            headers.Add(("Authorization", "Bearer " + bearer));
        }

        return headers;
    }

    /// <summary>A command that talks to a server: its positional arguments (<paramref name="shape"/>), then these options.</summary>
    public (Command Command, Argument<string[]> Positionals) NewCommand(string name, string description, string shape)
    {
        var positionals = new Argument<string[]>("arguments") { Description = shape, Arity = ArgumentArity.ZeroOrMore };
        var command = new Command(name, description) { positionals };
        AddTo(command);
        return (command, positionals);
    }

    private void AddTo(Command command)
    {
        Protocol.AcceptOnlyFromAmong("auto", "2026-07-28", "2025-11-25");
        command.Add(Headers);
        command.Add(Bearer);
        command.Add(Login);
        command.Add(ClientId);
        command.Add(Timeout);
        command.Add(Protocol);
        command.Add(Json);
    }
}

using System.CommandLine;
using McpSharp.Client;
using McpSharp.JsonRpc;
using McpSharp.Transports.Http;
using McpSharp.Transports.Stdio;

namespace McpSharp.Cli;

/// <summary>
/// The server a command talks to: a URL (the first positional argument) or a stdio command line (everything after
/// <c>--</c>), with the shared options, and the connected client.
/// </summary>
internal sealed class Target : IDisposable
{
    private static readonly TimeSpan SignInTime = TimeSpan.FromMinutes(5);
    private readonly Uri? _url;
    private readonly string[]? _command;
    private McpLoopbackRedirect? _loopback;
    private McpOAuthTokenProvider? _oauth;

    private Target(Uri? url, string[]? command, string[] rest)
    {
        _url = url;
        _command = command;
        Rest = rest;
    }

    /// <summary>The positional arguments after the target (a tool's name, its arguments...).</summary>
    public string[] Rest { get; }

    /// <summary>Reads the target from the positionals, or from the stdio command line when there is one.</summary>
    /// <exception cref="UsageException">No target, or a first argument that is not an http(s) URL.</exception>
    public static Target From(string[] positionals, string[]? stdio)
    {
        if (stdio is not null)
        {
            return stdio.Length > 0 ? new Target(null, stdio, positionals) : throw new UsageException("\"--\" must be followed by the server's command.");
        }

        if (positionals.Length == 0)
        {
            throw new UsageException("Give a target: a URL, or a stdio server's command after \"--\".");
        }

        if (!Uri.TryCreate(positionals[0], UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            throw new UsageException($"'{positionals[0]}' is not an http(s) URL; a stdio server goes after \"--\".");
        }

        return new Target(url, null, positionals[1..]);
    }

    /// <summary>Connects a client to the target: the handshake or the discovery, bounded by <c>--timeout</c>.</summary>
    public async Task<McpClient> ConnectAsync(ParseResult parsed, SharedOptions shared, McpClientOptions options, CancellationToken cancellationToken)
    {
        options.ProtocolMode = parsed.GetValue(shared.Protocol) switch
        {
            "2026-07-28" => ProtocolMode.Modern,
            "2025-11-25" => ProtocolMode.Legacy,
            _ => ProtocolMode.Auto,
        };
        options.ClientInfo = new Protocol.Implementation { Name = "mcpsharp-cli", Version = typeof(Target).Assembly.GetName().Version?.ToString(3) ?? "0.0.0" };
        bool login = parsed.GetValue(shared.Login);
        if (login && _url is null)
        {
            throw new UsageException("--login signs in to an HTTP server; a stdio server takes its credentials from its environment.");
        }

        if (!login && parsed.GetValue(shared.ClientId) is not null)
        {
            throw new UsageException("--client-id goes with --login.");
        }

        if (login && parsed.GetValue(shared.Bearer) is not null)
        {
            throw new UsageException("Give --bearer or --login, not both.");
        }

        var given = parsed.GetValue(shared.Timeout);
        var limit = login && given < SignInTime ? SignInTime : given; // a sign-in needs time for the user
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        IMcpTransport transport = _url is not null ? Http(_url, parsed, shared, login ? SignIn(_url, parsed, shared) : null) : Stdio(_command!);
        try
        {
            return await McpClient.ConnectAsync(transport, options, cancellationToken: timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            await transport.DisposeAsync().ConfigureAwait(false);
            throw new TimeoutException(login
                ? $"Not signed in and connected within {limit}."
                : $"No answer to the connection within {limit}.");
        }
        catch
        {
            await transport.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stops a sign-in in progress and the redirect listener.</summary>
    public void Dispose()
    {
        _oauth?.Dispose();
        _loopback?.Dispose();
    }

    // The authorization-code flow with PKCE through a loopback redirect (RFC 8252); tokens live as long as the command.
    private McpAccessTokenProvider SignIn(Uri url, ParseResult parsed, SharedOptions shared)
    {
        var error = parsed.InvocationConfiguration.Error;
        _loopback = McpLoopbackRedirect.Start();
        _oauth = new McpOAuthTokenProvider(url, new McpOAuthOptions
        {
            RedirectUri = _loopback.RedirectUri,
            Redirect = _loopback.Handler(async (authorization, cancellationToken) =>
            {
                await error.WriteLineAsync($"mcpsharp: sign in at {authorization.AbsoluteUri}").ConfigureAwait(false);
                Browser.TryOpen(authorization);
            }),
            ClientName = "mcpsharp CLI",
            ClientCredentials = parsed.GetValue(shared.ClientId) is { } clientId ? new McpOAuthClientCredentials(clientId) : null,
        });
        return _oauth.GetTokenAsync;
    }

    private static StreamableHttpClientTransport Http(Uri url, ParseResult parsed, SharedOptions shared, McpAccessTokenProvider? tokens)
    {
        var headers = shared.ReadHeaders(parsed);
        return new StreamableHttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = url,
            AccessTokenProvider = tokens,
            OnRequest = (request, _) =>
            {
                foreach (var (name, value) in headers)
                {
                    request.Headers.TryAddWithoutValidation(name, value);
                }

                return ValueTask.CompletedTask;
            },
        });
    }

    private static StdioClientTransport Stdio(string[] command)
    {
        var options = new StdioClientTransportOptions { Command = command[0] };
        foreach (string argument in command.AsSpan(1))
        {
            options.Arguments.Add(argument);
        }

        return new StdioClientTransport(options);
    }
}

/// <summary>A command line that cannot be run as written (exit code 2).</summary>
internal sealed class UsageException(string message) : Exception(message);

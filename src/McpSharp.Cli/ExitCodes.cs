namespace McpSharp.Cli;

/// <summary>What <c>mcpsharp</c> exits with: one code per kind of outcome, so that scripts can tell them apart.</summary>
internal static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Ok = 0;

    /// <summary>The tool ran and reported failure (<c>isError</c>).</summary>
    public const int ToolError = 1;

    /// <summary>The command line was wrong.</summary>
    public const int Usage = 2;

    /// <summary>The server could not be reached, or the connection broke (HTTP failure, process that would not start or died).</summary>
    public const int Unreachable = 3;

    /// <summary>The server answered with a JSON-RPC error, or with something that is not MCP.</summary>
    public const int ProtocolError = 4;

    /// <summary>No answer within <c>--timeout</c>.</summary>
    public const int Timeout = 5;

    /// <summary><c>probe</c>: the server failed at least one MUST.</summary>
    public const int AuditFailed = 6;

    /// <summary><c>--login</c>: the sign-in had to stop (metadata that does not match, no PKCE, a refused registration or token, a response from another issuer).</summary>
    public const int SignInFailed = 7;

    /// <summary>Interrupted (Ctrl+C): the request was cancelled at the server.</summary>
    public const int Cancelled = 130;
}

namespace McpSharp.Protocol;

/// <summary>JSON-RPC 2.0 and MCP error codes (checklist section 1.3).</summary>
public static class McpErrorCodes
{
    /// <summary>Invalid JSON was received.</summary>
    public const int ParseError = -32700;

    /// <summary>The JSON is not a valid JSON-RPC message (also <c>id: null</c>, a batch where none is allowed, a request out of lifecycle order).</summary>
    public const int InvalidRequest = -32600;

    /// <summary>The method does not exist or its capability was not declared.</summary>
    public const int MethodNotFound = -32601;

    /// <summary>Invalid method parameters (unknown tool, invalid cursor, bad log level, missing prompt argument).</summary>
    public const int InvalidParams = -32602;

    /// <summary>Internal error. Never carries a stack trace.</summary>
    public const int InternalError = -32603;

    /// <summary>Generic transport-level error (SDK convention).</summary>
    public const int ServerError = -32000;

    /// <summary>Session not found (SDK convention used by the TypeScript and C# SDKs over HTTP).</summary>
    public const int SessionNotFound = -32001;

    /// <summary>Resource not found (<c>resources/read</c>, 2025-11-25).</summary>
    public const int ResourceNotFound = -32002;

    /// <summary>The request cannot proceed until a URL-mode elicitation completes (2025-11-25 only).</summary>
    public const int UrlElicitationRequired = -32042;

    /// <summary>
    /// <c>HeaderMismatch</c> (2026-07-28): an HTTP header disagrees with the body, or a required one is missing or
    /// malformed (M26-ERR-32020). HTTP 400.
    /// </summary>
    public const int HeaderMismatch = -32020;

    /// <summary>
    /// <c>MissingRequiredClientCapability</c> (2026-07-28): the request needs a capability the client did not declare;
    /// <c>data.requiredCapabilities</c> names it (M26-ERR-32021). HTTP 400.
    /// </summary>
    public const int MissingRequiredClientCapability = -32021;

    /// <summary>
    /// <c>UnsupportedProtocolVersion</c> (2026-07-28): <c>data.supported</c> lists the versions to use instead,
    /// <c>data.requested</c> echoes the one asked for (M26-ERR-32022). HTTP 400.
    /// </summary>
    public const int UnsupportedProtocolVersion = -32022;
}

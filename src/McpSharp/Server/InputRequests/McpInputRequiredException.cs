namespace McpSharp.Server;

/// <summary>
/// Ends a handler's attempt to serve a 2026-07-28 request: it asked the client for input (<c>ElicitAsync</c>,
/// <c>SampleAsync</c>, <c>ListRootsAsync</c>) that this attempt does not have yet. The server answers with an
/// <c>input_required</c> result listing every input asked for, and runs the handler again when the client retries with
/// the answers. Let it propagate: a handler that catches it and returns something else gives up on the input.
/// </summary>
public sealed class McpInputRequiredException : Exception
{
    /// <summary>Creates the exception for the input with <paramref name="key"/>.</summary>
    public McpInputRequiredException(string key)
        : base($"The client's answer to input '{key}' is needed; the request ends with an input_required result and is retried with it.") => Key = key;

    /// <summary>Creates the exception.</summary>
    public McpInputRequiredException() : this("input") { }

    /// <summary>Creates the exception.</summary>
    public McpInputRequiredException(string message, Exception innerException) : base(message, innerException) => Key = "input";

    /// <summary>The key of the input that was asked for first.</summary>
    public string Key { get; }
}

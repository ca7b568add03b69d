namespace McpSharp.AspNetCore.Authorization;

/// <summary>
/// Registered by <c>WithAuthorization</c>: <c>MapMcp</c> protects the endpoint it maps, and serves the root metadata URL
/// for the first one it maps (a second route there would be ambiguous).
/// </summary>
internal sealed class AuthorizationEnabled
{
    private int _rootMapped;

    /// <summary>True the first time only.</summary>
    public bool ClaimRootMetadata() => Interlocked.Exchange(ref _rootMapped, 1) == 0;
}

namespace McpSharp.AspNetCore.Authorization;

/// <summary>Registered by <c>WithAuthorization</c>: <c>MapMcp</c> protects the endpoint it maps.</summary>
internal sealed class AuthorizationEnabled;

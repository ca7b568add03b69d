using System.Net;
using Microsoft.AspNetCore.Http;

namespace McpSharp.AspNetCore.Http;

/// <summary>
/// Step 1, DNS-rebinding protection (HTTP-ORIGIN-VALIDATE, HTTP-ORIGIN-403, HTTP-HOST-CHECK). An <c>Origin</c> passes when
/// it is the request's own origin, a loopback origin, or allow-listed; no <c>Origin</c> (a non-browser client) passes.
/// On a loopback binding the <c>Host</c> must name a loopback host (or an allow-listed one).
/// </summary>
internal static class DnsRebindingGuard
{
    public static bool Allows(HttpContext http, McpHttpOptions options)
    {
        if (!options.EnableDnsRebindingProtection)
        {
            return true;
        }

        var request = http.Request;
        // A dual-mode [::] listener shows IPv4 loopback as ::ffff:127.0.0.1, which IsLoopback does not recognise.
        bool loopbackBinding = http.Connection.LocalIpAddress is { } local && IPAddress.IsLoopback(local.IsIPv4MappedToIPv6 ? local.MapToIPv4() : local);
        string host = request.Host.Host;
        if (loopbackBinding && !IsLoopbackHost(host) && !Contains(options.AllowedHosts, host))
        {
            return false;
        }

        string? origin = request.Headers.Origin;
        if (string.IsNullOrEmpty(origin))
        {
            return true;
        }

        if (Contains(options.AllowedOrigins, origin.TrimEnd('/')))
        {
            return true;
        }

        if (!Uri.TryCreate(origin, UriKind.Absolute, out var originUri))
        {
            return false;
        }

        // Same origin as the request, or a loopback page talking to a loopback server.
        bool sameOrigin = string.Equals(originUri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
        return sameOrigin ? !loopbackBinding || IsLoopbackHost(originUri.Host) : loopbackBinding && IsLoopbackHost(originUri.Host);
    }

    private static bool IsLoopbackHost(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address));

    private static bool Contains(IList<string> list, string value)
    {
        foreach (string item in list)
        {
            if (string.Equals(item.TrimEnd('/'), value, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}

using System.ComponentModel;
using System.Diagnostics;

namespace McpSharp.Cli;

/// <summary>Opens a URL in the user's browser, when there is one to open (the URL is printed in any case).</summary>
internal static class Browser
{
    /// <summary>Set (to anything) to never start a browser: headless machines, tests.</summary>
    public const string NoBrowserVariable = "MCPSHARP_NO_BROWSER";

    public static void TryOpen(Uri url)
    {
        // Only web pages: the URL comes from metadata a server chose, and the shell would open any scheme's handler.
        if (Environment.GetEnvironmentVariable(NoBrowserVariable) is { Length: > 0 } || url.Scheme is not ("https" or "http"))
        {
            return;
        }

        try
        {
            using var _ = Process.Start(new ProcessStartInfo(url.AbsoluteUri) { UseShellExecute = true });
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException or PlatformNotSupportedException)
        {
            // No browser here (a server, a container): the printed URL is the way in.
        }
    }
}

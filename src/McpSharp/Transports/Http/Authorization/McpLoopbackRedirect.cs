using System.Net;
using System.Net.Sockets;
using System.Text;

namespace McpSharp.Transports.Http;

/// <summary>
/// The redirect of a desktop or CLI app (RFC 8252 §7.3): a listener on <c>127.0.0.1</c> and a free port that takes the
/// browser's one GET to <c>/callback</c> and answers it with a page saying the window may close.
/// </summary>
/// <example>
/// <code>
/// using var loopback = McpLoopbackRedirect.Start();
/// var oauth = new McpOAuthTokenProvider(endpoint, new McpOAuthOptions
/// {
///     RedirectUri = loopback.RedirectUri,
///     Redirect = loopback.Handler((url, _) => { Process.Start(new ProcessStartInfo(url.AbsoluteUri) { UseShellExecute = true }); return ValueTask.CompletedTask; }),
/// });
/// </code>
/// </example>
/// <remarks>
/// Hand-written over a socket because the framework's <c>HttpListener</c> cannot listen on a port the system picks, and
/// Kestrel would bring ASP.NET Core into every client; it reads one request head and nothing more.
/// </remarks>
public sealed class McpLoopbackRedirect : IDisposable
{
    private const int MaxHead = 16 * 1024;
    private readonly TcpListener _listener;

    private McpLoopbackRedirect(TcpListener listener)
    {
        _listener = listener;
        RedirectUri = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/callback");
    }

    /// <summary>Where the authorization server sends the browser back: <c>http://127.0.0.1:PORT/callback</c>.</summary>
    public Uri RedirectUri { get; }

    /// <summary>Listens on <c>127.0.0.1</c>, on <paramref name="port"/> (default 0: one the system picks).</summary>
    public static McpLoopbackRedirect Start(int port = 0)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        return new McpLoopbackRedirect(listener);
    }

    /// <summary>
    /// The <see cref="McpOAuthOptions.Redirect"/> of this listener: it calls <paramref name="openBrowser"/> with the
    /// authorization URL, then waits for the browser to come back.
    /// </summary>
    public McpAuthorizationRedirect Handler(Func<Uri, CancellationToken, ValueTask> openBrowser)
    {
        ArgumentNullException.ThrowIfNull(openBrowser);
        return async (url, _, cancellationToken) =>
        {
            await openBrowser(url, cancellationToken).ConfigureAwait(false);
            return await WaitAsync(cancellationToken).ConfigureAwait(false);
        };
    }

    /// <summary>
    /// The next request to <c>/callback</c>, as the full redirect URI with its query; other requests get 404. Each
    /// connection is served on its own, so one a browser opens and never uses (a preconnect) holds nothing up.
    /// </summary>
    public async Task<Uri> WaitAsync(CancellationToken cancellationToken = default)
    {
        var redirect = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var accepting = AcceptAsync(redirect, done.Token);
        try
        {
            return await redirect.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await done.CancelAsync().ConfigureAwait(false);
            await accepting.ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _listener.Dispose();

    private async Task AcceptAsync(TaskCompletionSource<Uri> redirect, CancellationToken cancellationToken)
    {
        var serving = new List<Task>();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                serving.Add(ServeAsync(await _listener.AcceptTcpClientAsync(cancellationToken).ConfigureAwait(false), redirect, cancellationToken));
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            redirect.TrySetException(ex); // the listener was disposed: no browser can come back
        }

        await Task.WhenAll(serving).ConfigureAwait(false);
    }

    private async Task ServeAsync(TcpClient connection, TaskCompletionSource<Uri> redirect, CancellationToken cancellationToken)
    {
        using (connection)
        {
            try
            {
                await using var stream = connection.GetStream();
                string? target = await ReadTargetAsync(stream, cancellationToken).ConfigureAwait(false);
                bool callback = target is not null && target.StartsWith(RedirectUri.AbsolutePath, StringComparison.Ordinal)
                    && (target.Length == RedirectUri.AbsolutePath.Length || target[RedirectUri.AbsolutePath.Length] == '?');
                if (callback)
                {
                    // Taken before the page is written: a browser that closes early does not lose the sign-in.
                    redirect.TrySetResult(new Uri(RedirectUri, target));
                }

                await RespondAsync(stream, callback, CancellationToken.None).ConfigureAwait(false); // a small page, written whole

            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException)
            {
                // A connection the browser dropped, or one still open when the redirect came: nothing to answer.
            }
        }
    }

    // The request target of "GET /callback?… HTTP/1.1", once the head has arrived; null for anything else.
    private static async Task<string?> ReadTargetAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var head = new byte[MaxHead];
        int length = 0;
        while (length < head.Length)
        {
            int read = await stream.ReadAsync(head.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            length += read;
            if (head.AsSpan(0, length).IndexOf("\r\n\r\n"u8) >= 0)
            {
                break;
            }
        }

        string text = Encoding.ASCII.GetString(head, 0, length);
        int lineEnd = text.IndexOf("\r\n", StringComparison.Ordinal);
        string[] parts = (lineEnd < 0 ? text : text[..lineEnd]).Split(' ');
        return parts.Length == 3 && parts[0] == "GET" && parts[1].StartsWith('/') ? parts[1] : null;
    }

    private static async Task RespondAsync(NetworkStream stream, bool callback, CancellationToken cancellationToken)
    {
        string page = callback
            ? "<!doctype html><title>Signed in</title><p>You can close this window and return to the application.</p>"
            : "<!doctype html><title>Not found</title>";
        byte[] body = Encoding.UTF8.GetBytes(page);
        string status = callback ? "200 OK" : "404 Not Found";
        byte[] headers = Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {body.Length}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(headers, cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(body, cancellationToken).ConfigureAwait(false);
    }
}

using System.Collections.Concurrent;
using System.Net.Sockets;

namespace McpSharp.Redis.Tests;

/// <summary>
/// A client-side balancer with no affinity: each request to the next node; a node that refuses the connection (the
/// request never left) is passed over for the next one. Counts the answers by status.
/// </summary>
internal sealed class RotatingHandler(IReadOnlyList<Uri> nodes) : DelegatingHandler(new SocketsHttpHandler())
{
    private int _next;
    private int _refused;

    public int Refused => Volatile.Read(ref _refused);

    /// <summary>The node the last GET (the session's stream) went to.</summary>
    public int LastGetNode { get; private set; }

    public ConcurrentDictionary<int, int> Statuses { get; } = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        for (int attempt = 0; attempt < nodes.Count * 2; attempt++)
        {
            int index = (int)((uint)Interlocked.Increment(ref _next) % (uint)nodes.Count);
            request.RequestUri = new UriBuilder(request.RequestUri!) { Host = nodes[index].Host, Port = nodes[index].Port }.Uri;
            try
            {
                var response = await base.SendAsync(request, cancellationToken);
                Statuses.AddOrUpdate((int)response.StatusCode, 1, static (_, count) => count + 1);
                if (request.Method == HttpMethod.Get && response.IsSuccessStatusCode)
                {
                    LastGetNode = index;
                }

                return response;
            }
            catch (HttpRequestException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
            {
                Interlocked.Increment(ref _refused);
            }
        }

        throw new HttpRequestException("No node answers.");
    }
}

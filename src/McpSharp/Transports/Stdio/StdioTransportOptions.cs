namespace McpSharp.Transports.Stdio;

/// <summary>Limits of a newline-delimited stream transport.</summary>
public sealed class StdioTransportOptions
{
    /// <summary>
    /// The longest message (line) accepted, in bytes (default 4 MiB). A longer line is discarded as it streams in,
    /// never buffered whole, and answered with a -32600 error; the transport keeps serving.
    /// </summary>
    public int MaxMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>Messages that may wait to be written (default 1,024); senders beyond that wait (backpressure).</summary>
    public int OutgoingQueueCapacity { get; set; } = 1024;

    /// <summary>
    /// On dispose, how long the messages still queued may take to be written (default 5 s). A peer that has stopped
    /// reading cannot hold dispose longer than this; what it never read is dropped.
    /// </summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Throws if a value is out of range (checked before anything is started with these options).</summary>
    internal void Validate()
    {
        if (DrainTimeout < TimeSpan.Zero && DrainTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(DrainTimeout), DrainTimeout, "DrainTimeout must be zero or more, or Timeout.InfiniteTimeSpan.");
        }
    }
}

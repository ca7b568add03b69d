using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace McpSharp.AspNetCore.Streams;

/// <summary>
/// Writes Server-Sent Events frames. Hand-written on purpose: <c>System.Net.ServerSentEvents.SseFormatter</c> owns the
/// loop over its source and cannot emit comments (keep-alives), and a connection here interleaves replayed events, live
/// events and keep-alives on one writer. A JSON-RPC message is compact JSON with no raw newline, so it is one data line.
/// </summary>
internal static class SseFraming
{
    private static ReadOnlySpan<byte> IdPrefix => "id: "u8;
    private static ReadOnlySpan<byte> RetryPrefix => "retry: "u8;
    private static ReadOnlySpan<byte> DataPrefix => "data: "u8;
    private static ReadOnlySpan<byte> KeepAlive => ": keep-alive\n\n"u8;

    /// <summary>An event: optional id, optional retry (ms), one data line (may be empty: a priming event).</summary>
    public static void WriteEvent(PipeWriter writer, string? id, TimeSpan? retry, ReadOnlySpan<byte> data)
    {
        if (id is not null)
        {
            writer.Write(IdPrefix);
            WriteAscii(writer, id);
            writer.Write("\n"u8);
        }

        if (retry is { } r)
        {
            writer.Write(RetryPrefix);
            WriteAscii(writer, ((long)r.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
            writer.Write("\n"u8);
        }

        writer.Write(DataPrefix);
        writer.Write(data);
        writer.Write("\n\n"u8);
    }

    /// <summary>Only a <c>retry</c> field: sent before the server closes a stream the client should resume.</summary>
    public static void WriteRetry(PipeWriter writer, TimeSpan retry)
    {
        writer.Write(RetryPrefix);
        WriteAscii(writer, ((long)retry.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
        writer.Write("\n\n"u8);
    }

    /// <summary>
    /// Starts an SSE response (once): 200, <c>text/event-stream</c>, no caching, <c>X-Accel-Buffering: no</c> so proxies
    /// pass events on at once (M26-HTTP-XACCEL), and no response buffering.
    /// </summary>
    public static void StartResponse(HttpContext http)
    {
        if (http.Response.HasStarted)
        {
            return;
        }

        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache,no-store";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
    }

    /// <summary>
    /// Work started for a request that may outlive it (the client left while a handler runs): its failure must not go
    /// unobserved.
    /// </summary>
    public static void Observe(Task processing)
    {
        if (!processing.IsCompletedSuccessfully)
        {
            _ = processing.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    /// <summary>A comment line that keeps idle connections open through proxies.</summary>
    public static void WriteKeepAlive(PipeWriter writer) => writer.Write(KeepAlive);

    private static void WriteAscii(PipeWriter writer, string text)
    {
        var span = writer.GetSpan(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            span[i] = (byte)text[i];
        }

        writer.Advance(text.Length);
    }
}

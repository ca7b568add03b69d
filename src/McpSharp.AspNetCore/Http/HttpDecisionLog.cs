using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace McpSharp.AspNetCore.Http;

/// <summary>
/// Every answer the endpoint gives with an error status is logged (stable event ids 130-139) and counted: at Debug when
/// the client got something wrong (a 4xx it can fix), at Warning when a limit or the backend turned it away (413, 429,
/// 503), so an operator sees why a request failed without turning on ASP.NET Core's own request logs.
/// </summary>
internal sealed partial class HttpDecisionLog(ILoggerFactory loggerFactory, HttpTransportMetrics metrics)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger("McpSharp.AspNetCore.Http");

    public void Rejected(HttpContext http, int status, int code, string message)
    {
        metrics.Rejected(status, http.Request.Method);
        if (status is StatusCodes.Status413PayloadTooLarge or StatusCodes.Status429TooManyRequests or StatusCodes.Status503ServiceUnavailable)
        {
            LogLimited(_logger, http.Request.Method, status, code, message);
        }
        else
        {
            LogRejected(_logger, http.Request.Method, status, code, message);
        }
    }

    [LoggerMessage(130, LogLevel.Debug, "{Method} answered {Status} ({Code}): {Reason}")]
    private static partial void LogRejected(ILogger logger, string method, int status, int code, string reason);

    [LoggerMessage(131, LogLevel.Warning, "{Method} turned away with {Status} ({Code}): {Reason}")]
    private static partial void LogLimited(ILogger logger, string method, int status, int code, string reason);
}

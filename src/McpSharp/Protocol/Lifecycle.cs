namespace McpSharp.Protocol;

/// <summary>Parameters of <c>initialize</c> (LIFE-INIT-REQ).</summary>
public sealed class InitializeRequestParams : RequestParams
{
    /// <summary>The version the client asks for (its latest, VER-CLIENT-LATEST).</summary>
    public required string ProtocolVersion { get; set; }

    /// <summary>What the client supports.</summary>
    public ClientCapabilities Capabilities { get; set; } = new();

    /// <summary>Who the client is.</summary>
    public required Implementation ClientInfo { get; set; }
}

/// <summary>Result of <c>initialize</c> (LIFE-INIT-RESP).</summary>
public sealed class InitializeResult : Result
{
    /// <summary>The negotiated version.</summary>
    public required string ProtocolVersion { get; set; }

    /// <summary>What the server offers.</summary>
    public required ServerCapabilities Capabilities { get; set; }

    /// <summary>Who the server is.</summary>
    public required Implementation ServerInfo { get; set; }

    /// <summary>How to use this server, for the model.</summary>
    public string? Instructions { get; set; }
}

/// <summary>Parameters of <c>notifications/cancelled</c> (CANCEL-*).</summary>
public sealed class CancelledNotificationParams : NotificationParams
{
    /// <summary>The id of the request to cancel, issued earlier by the same side.</summary>
    public RequestId? RequestId { get; set; }

    /// <summary>Why.</summary>
    public string? Reason { get; set; }
}

/// <summary>Parameters of <c>notifications/progress</c> (PROG-*).</summary>
public sealed class ProgressNotificationParams : NotificationParams
{
    /// <summary>The token from the request's <c>_meta.progressToken</c>.</summary>
    public required ProgressToken ProgressToken { get; set; }

    /// <summary>Progress so far; increases with every notification.</summary>
    public double Progress { get; set; }

    /// <summary>Total, when known.</summary>
    public double? Total { get; set; }

    /// <summary>Human-readable message.</summary>
    public string? Message { get; set; }
}

/// <summary>A progress report from a handler: the value of one <c>notifications/progress</c>.</summary>
public readonly record struct ProgressNotificationValue(double Progress, double? Total = null, string? Message = null);

/// <summary>Parameters of <c>logging/setLevel</c>.</summary>
public sealed class SetLevelRequestParams : RequestParams
{
    /// <summary>The lowest level the client wants.</summary>
    public required LoggingLevel Level { get; set; }
}

/// <summary>Parameters of <c>notifications/message</c>.</summary>
public sealed class LoggingMessageNotificationParams : NotificationParams
{
    /// <summary>Severity.</summary>
    public required LoggingLevel Level { get; set; }

    /// <summary>Logger name.</summary>
    public string? Logger { get; set; }

    /// <summary>Any JSON value.</summary>
    public System.Text.Json.JsonElement Data { get; set; }
}

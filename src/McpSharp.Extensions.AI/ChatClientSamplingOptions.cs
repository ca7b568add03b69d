using McpSharp.Protocol;

namespace McpSharp.Extensions.AI;

/// <summary>How <see cref="McpClientAIExtensions.AsSamplingHandler"/> answers sampling requests.</summary>
public sealed class ChatClientSamplingOptions
{
    /// <summary>
    /// Chooses the model id for a request from the server's model preferences (hints and priorities); null leaves the
    /// choice to the chat client. Unset (the default), the chat client's own model answers every request: a hint names
    /// a model the server would like, and may name one this client does not have.
    /// </summary>
    public Func<ModelPreferences?, string?>? SelectModel { get; set; }

    /// <summary>The model name reported to the server when the chat client's response names none. Default: "unknown".</summary>
    public string DefaultModelName { get; set; } = "unknown";
}

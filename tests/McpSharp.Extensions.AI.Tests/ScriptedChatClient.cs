using Microsoft.Extensions.AI;

namespace McpSharp.Extensions.AI.Tests;

/// <summary>
/// A chat client that answers from a script: each call gets the next response, made from the messages and options it
/// was given (all recorded). What a model does, without a model.
/// </summary>
internal sealed class ScriptedChatClient(params Func<IReadOnlyList<ChatMessage>, ChatOptions?, ChatResponse>[] script) : IChatClient
{
    private int _next;

    public List<(List<ChatMessage> Messages, ChatOptions? Options)> Calls { get; } = [];

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        Calls.Add((list, options));
        return Task.FromResult(script[_next++](list, options));
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The scripted client answers whole responses only.");

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }

    /// <summary>The function results the chat so far carries.</summary>
    public static List<FunctionResultContent> Results(IEnumerable<ChatMessage> messages) =>
        [.. messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>()];
}

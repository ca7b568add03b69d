using System.Globalization;
using McpSharp.Protocol;
using Microsoft.Extensions.AI;

namespace McpSharp.Extensions.AI;

/// <summary>Answers <c>sampling/createMessage</c> with an <see cref="IChatClient"/> (the mapping is documented on AsSamplingHandler).</summary>
internal sealed class ChatClientSampling(IChatClient chatClient, ChatClientSamplingOptions options)
{
    public async ValueTask<CreateMessageResult> CreateMessageAsync(CreateMessageRequestParams request, CancellationToken cancellationToken)
    {
        var response = await chatClient.GetResponseAsync(Messages(request), Options(request), cancellationToken).ConfigureAwait(false);
        var content = new List<ContentBlock>();
        foreach (var message in response.Messages.Where(m => m.Role == ChatRole.Assistant))
        {
            foreach (var item in message.Contents)
            {
                if (item is FunctionCallContent call)
                {
                    content.Add(new ToolUseContentBlock { Id = call.CallId, Name = call.Name, Input = ContentMapping.ToJson(call.Arguments, AIJsonUtilities.DefaultOptions) });
                }
                else if (ContentMapping.ToContentBlock(item) is { } block)
                {
                    content.Add(block);
                }
            }
        }

        return new CreateMessageResult
        {
            Role = Role.Assistant,
            Model = response.ModelId ?? options.DefaultModelName,
            Content = content,
            StopReason = StopReason(response.FinishReason, content),
        };
    }

    private static List<ChatMessage> Messages(CreateMessageRequestParams request)
    {
        var messages = new List<ChatMessage>();
        if (!string.IsNullOrEmpty(request.SystemPrompt))
        {
            messages.Add(new ChatMessage(ChatRole.System, request.SystemPrompt));
        }

        foreach (var message in request.Messages)
        {
            var results = new List<AIContent>();
            var contents = new List<AIContent>();
            foreach (var block in message.Content)
            {
                switch (block)
                {
                    case ToolUseContentBlock use:
                        contents.Add(new FunctionCallContent(use.Id, use.Name, ContentMapping.ToArguments(use.Input)) { RawRepresentation = use });
                        break;
                    case ToolResultContentBlock result:
                        results.Add(new FunctionResultContent(result.ToolUseId, ToolResult(result)) { RawRepresentation = result });
                        break;
                    default:
                        if (ContentMapping.ToAIContent(block) is { } content)
                        {
                            contents.Add(content);
                        }

                        break;
                }
            }

            // Chat clients take tool results in a tool message of their own, before what the user says next.
            if (results.Count > 0)
            {
                messages.Add(new ChatMessage(ChatRole.Tool, results));
            }

            if (contents.Count > 0)
            {
                messages.Add(new ChatMessage(message.Role == Role.Assistant ? ChatRole.Assistant : ChatRole.User, contents));
            }
        }

        return messages;
    }

    private ChatOptions Options(CreateMessageRequestParams request)
    {
        var chat = new ChatOptions
        {
            MaxOutputTokens = request.MaxTokens,
            Temperature = request.Temperature is { } t ? (float)t : null,
            StopSequences = request.StopSequences is { Count: > 0 } stops ? [.. stops] : null,
            ModelId = options.SelectModel?.Invoke(request.ModelPreferences),
        };
        if (request.Tools is { Count: > 0 } tools && request.ToolChoice?.Mode != "none")
        {
            chat.Tools = [.. tools.Select(t => AIFunctionFactory.CreateDeclaration(t.Name, t.Description, t.InputSchema, t.OutputSchema))];
            chat.ToolMode = request.ToolChoice?.Mode == "required" ? ChatToolMode.RequireAny : ChatToolMode.Auto;
        }
        else if (request.ToolChoice?.Mode == "none")
        {
            chat.ToolMode = ChatToolMode.None;
        }

        return chat;
    }

    // What the model reads as the tool's result: its structured content when it has some, else its content; an error as such.
    private static object? ToolResult(ToolResultContentBlock result)
    {
        if (result.StructuredContent is { } structured && result.IsError != true)
        {
            return structured;
        }

        if (result.IsError == true)
        {
            return ContentMapping.ToErrorContents(result.Content, "The tool reported an error.", result);
        }

        var contents = result.Content.Select(ContentMapping.ToAIContent).OfType<AIContent>().ToList();
        return contents is [TextContent only] ? only.Text : contents;
    }

    private static string StopReason(ChatFinishReason? reason, List<ContentBlock> content)
    {
        if (reason == ChatFinishReason.ToolCalls || (reason is null && content.Any(c => c is ToolUseContentBlock)))
        {
            return "toolUse";
        }

        if (reason == ChatFinishReason.Length)
        {
            return "maxTokens";
        }

        return reason is null || reason == ChatFinishReason.Stop ? "endTurn" : reason.Value.Value.ToString(CultureInfo.InvariantCulture);
    }
}

using System.Text.Json;
using McpSharp.JsonRpc;
using McpSharp.Protocol;

namespace McpSharp.Server;

/// <summary>
/// The input one attempt of a 2026-07-28 request has and asks for (multi round-trip requests, M26-MRTR-*). Answers come
/// from the client's <c>inputResponses</c> and from the verified <c>requestState</c> of earlier rounds; an input that is
/// not answered yet is asked for, and the attempt ends with an <c>input_required</c> result carrying every question
/// and the sealed answers so far. Keys are the handler's own, or made from the order of the calls
/// (<c>elicitation-1</c>, <c>sampling-1</c>, <c>roots-1</c>...), which is the same on every run of the same handler.
/// </summary>
internal sealed class InputExchange
{
    private readonly Dictionary<string, JsonElement> _known;
    private readonly Dictionary<string, JsonElement> _used = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _counters = new(StringComparer.Ordinal);
    private Dictionary<string, InputRequest>? _asked;

    private InputExchange(Dictionary<string, JsonElement> known) => _known = known;

    /// <summary>True when this attempt asked for input it does not have.</summary>
    public bool HasQuestions => _asked is { Count: > 0 };

    /// <summary>
    /// Opens the round: verifies <paramref name="parameters"/>' <c>requestState</c> (-32602 when it fails) and takes the
    /// answers it carries, then the client's new <c>inputResponses</c> (unknown keys are kept aside and never used).
    /// </summary>
    public static InputExchange Open(InputResponseRequestParams? parameters, Func<RequestBinding> binding, RequestStateCodec codec)
    {
        var known = parameters?.RequestState is { } state ? codec.Open(state, binding()) : new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (parameters?.InputResponses is { } responses)
        {
            foreach (var (key, answer) in responses)
            {
                known[key] = answer;
            }
        }

        return new InputExchange(known);
    }

    /// <summary>The next automatic key for an input of <paramref name="kind"/>.</summary>
    public string NextKey(string kind)
    {
        _counters.TryGetValue(kind, out int n);
        _counters[kind] = ++n;
        return $"{kind}-{n}";
    }

    /// <summary>The answer to <paramref name="key"/>, read as <typeparamref name="T"/>; -32602 when it is not one.</summary>
    public bool TryAnswer<T>(string key, string method, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, out T answer)
        where T : class
    {
        if (!_known.TryGetValue(key, out var raw))
        {
            answer = null!;
            return false;
        }

        try
        {
            answer = (raw.ValueKind == JsonValueKind.Object ? raw.Deserialize(type) : null)
                ?? throw new JsonException("not an object");
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // M26-MRTR-MISSING: a malformed answer is a protocol error, never taken for a real one.
            throw new McpProtocolException(McpErrorCodes.InvalidParams, $"Invalid params: inputResponses['{key}'] is not a valid answer to {method}: {ex.Message}");
        }

        _used[key] = raw;
        return true;
    }

    /// <summary>Asks for input <paramref name="key"/> in the <c>input_required</c> result of this attempt.</summary>
    public void Ask(string key, string method, JsonElement? parameters)
    {
        (_asked ??= new(StringComparer.Ordinal))[key] = new InputRequest { Method = method, Params = parameters };
    }

    /// <summary>The <c>input_required</c> result: the questions, and the answers used so far sealed into the state.</summary>
    public JsonPayload ToResult(RequestStateCodec codec, RequestBinding binding) =>
        JsonPayload.FromValue(
            new InputRequiredResult { InputRequests = _asked, RequestState = codec.Seal(binding, _used) },
            McpJsonContext.Default.InputRequiredResult);
}

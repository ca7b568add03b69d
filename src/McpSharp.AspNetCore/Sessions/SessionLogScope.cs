using System.Collections;

namespace McpSharp.AspNetCore.Sessions;

/// <summary>The logging scope of a session's requests: one structured value, <c>McpSessionId</c>, to filter logs by.</summary>
internal sealed class SessionLogScope(string sessionId) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public int Count => 1;

    public KeyValuePair<string, object?> this[int index] =>
        index == 0 ? new("McpSessionId", sessionId) : throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        yield return this[0];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => "McpSessionId:" + sessionId;
}

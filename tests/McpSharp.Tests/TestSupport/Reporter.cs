using McpSharp.Protocol;

namespace McpSharp.Tests.TestSupport;

/// <summary>Progress that calls back on the reporting thread (unlike <see cref="Progress{T}"/>, which posts to a context).</summary>
public sealed class Reporter(Action<ProgressNotificationValue> report) : IProgress<ProgressNotificationValue>
{
    public void Report(ProgressNotificationValue value) => report(value);
}

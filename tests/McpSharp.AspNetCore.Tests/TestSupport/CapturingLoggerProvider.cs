using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace McpSharp.AspNetCore.Tests.TestSupport;

/// <summary>A logger provider that keeps every entry a server logs, with the scopes active when it was logged.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public ConcurrentQueue<Entry> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    internal sealed record Entry(string Category, LogLevel Level, int EventId, string Message, Exception? Exception, IReadOnlyList<object?> Scopes);

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scopes = new List<object?>();
            owner._scopes.ForEachScope(static (scope, list) => list.Add(scope), scopes);
            owner.Entries.Enqueue(new Entry(category, logLevel, eventId.Id, formatter(state, exception), exception, scopes));
        }
    }
}

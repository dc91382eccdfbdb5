using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace AutoDeploy.Tests.TestSupport;

/// <summary>A logger provider that keeps every line the app logs (any category), for tests of what the log says.</summary>
public sealed class LogLines : ILoggerProvider
{
    private readonly ConcurrentQueue<string> lines = new();

    public IReadOnlyList<string> All => lines.ToList();

    public ILogger CreateLogger(string categoryName) => new Writer(lines);

    public void Dispose()
    {
    }

    private sealed class Writer(ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(formatter(state, exception));
    }
}

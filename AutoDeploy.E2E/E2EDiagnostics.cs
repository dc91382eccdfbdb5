using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace AutoDeploy.E2E;

/// <summary>
/// A timeline of what the browser pages and the app did during the run, for reading a failure that happened only on a
/// loaded machine: each page's navigations, closed SignalR sockets, console warnings and errors, script errors and
/// crashes, and the app's warnings and circuit registrations (connected, disconnected, evicted), with UTC times to
/// set beside the test results'. Written to <c>e2e-diagnostics.log</c> beside the tests (a red run's clone keeps it).
/// </summary>
public static class E2EDiagnostics
{
    public static string Path { get; } = System.IO.Path.Combine(AppContext.BaseDirectory, "e2e-diagnostics.log");

    private static readonly Lock Gate = new();

    public static void Write(string what)
    {
        lock (Gate)
        {
            File.AppendAllText(Path, $"{DateTime.UtcNow:HH:mm:ss.fff} {what}\n");
        }
    }

    /// <summary>Notes what happens to the page, under a short name of its own.</summary>
    public static IPage Watch(IPage page)
    {
        var name = $"page {Guid.NewGuid().ToString("N")[..6]}";
        page.FrameNavigated += (_, frame) =>
        {
            if (frame.ParentFrame is null)
            {
                Write($"{name} at {frame.Url}");
            }
        };
        page.WebSocket += (_, socket) => socket.Close += (_, _) => Write($"{name} socket closed {socket.Url}");
        page.Console += (_, message) =>
        {
            if (message.Type is "warning" or "error")
            {
                Write($"{name} console {message.Type}: {message.Text}");
            }
        };
        page.PageError += (_, error) => Write($"{name} script error: {error}");
        page.Crash += (_, _) => Write($"{name} crashed");
        return page;
    }

    /// <summary>The app's warnings and errors, and its circuits coming and going.</summary>
    public sealed class LoggerProvider : ILoggerProvider
    {
        private const string Circuits = "Microsoft.AspNetCore.Components.Server.Circuits.CircuitRegistry";

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning || (logLevel >= LogLevel.Debug && category == Circuits);

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                {
                    Write($"app {logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : $"\n{exception}")}");
                }
            }
        }
    }
}

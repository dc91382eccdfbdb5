using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AutoDeploy.Bench;

/// <summary>
/// Counts the SQL commands EF Core executes while it is alive (EF's DiagnosticListener). By default only in the async
/// flow that created it: the listener is process-wide, and whatever else the process runs at the time (the server's
/// workers, other tests beside a smoke test) is not the code being measured. <c>everywhere</c> counts the whole
/// process (a server under a wave of agents), and keeps how often each statement ran, for <see cref="Top"/>.
/// </summary>
public sealed class SqlCommandCounter : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private static readonly AsyncLocal<SqlCommandCounter?> Measuring = new();
    private readonly List<IDisposable> _subscriptions = [];
    private readonly ConcurrentDictionary<string, int>? _statements;
    private int _count;

    public SqlCommandCounter(bool everywhere = false)
    {
        if (everywhere)
        {
            _statements = new ConcurrentDictionary<string, int>();
        }
        else
        {
            Measuring.Value = this;
        }
        _subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(this));
    }

    public int Count => Volatile.Read(ref _count);

    /// <summary>The statements run most often (counting everywhere only), the most frequent first.</summary>
    public IReadOnlyList<(string Sql, int Count)> Top(int count) => _statements is null ? []
        : _statements.OrderByDescending(s => s.Value).Take(count).Select(s => (s.Key, s.Value)).ToList();

    public void OnNext(DiagnosticListener listener)
    {
        if (listener.Name == DbLoggerCategory.Name)
        {
            lock (_subscriptions)
            {
                _subscriptions.Add(listener.Subscribe(this));
            }
        }
    }

    public void OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Key != RelationalEventId.CommandExecuted.Name || (_statements is null && Measuring.Value != this))
        {
            return;
        }
        Interlocked.Increment(ref _count);
        if (_statements is not null && value.Value is CommandExecutedEventData executed)
        {
            _statements.AddOrUpdate(Shorten(executed.Command.CommandText), 1, (_, n) => n + 1);
        }
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    public void Dispose()
    {
        if (_statements is null)
        {
            Measuring.Value = null;
        }
        lock (_subscriptions)
        {
            _subscriptions.ForEach(s => s.Dispose());
        }
    }

    /// <summary>A statement on one line, cut to what tells it apart from the others.</summary>
    private static string Shorten(string sql)
    {
        var line = string.Join(' ', sql.Split((char[])['\n', '\r', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
        return line.Length <= 160 ? line : line[..160] + "…";
    }
}

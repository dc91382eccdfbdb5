using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AutoDeploy.Bench;

/// <summary>
/// Counts the SQL commands EF Core executes while it is alive (EF's DiagnosticListener), in the async flow that created it
/// only: the listener is process-wide, and whatever else the process runs at the time (the server's workers, other tests
/// beside a smoke test) is not the code being measured.
/// </summary>
public sealed class SqlCommandCounter : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private static readonly AsyncLocal<SqlCommandCounter?> Measuring = new();
    private readonly List<IDisposable> _subscriptions = [];
    private int _count;

    public SqlCommandCounter()
    {
        Measuring.Value = this;
        _subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(this));
    }

    public int Count => Volatile.Read(ref _count);

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
        if (value.Key == RelationalEventId.CommandExecuted.Name && Measuring.Value == this)
        {
            Interlocked.Increment(ref _count);
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
        Measuring.Value = null;
        lock (_subscriptions)
        {
            _subscriptions.ForEach(s => s.Dispose());
        }
    }
}

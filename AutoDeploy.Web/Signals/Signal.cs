using System.Collections.Concurrent;

namespace AutoDeploy.Web.Signals;

/// <summary>
/// In-process wake-ups keyed by id (a machine with new work, a deployment whose job finished).
/// A waiter that misses a notification still wakes at its timeout and re-reads the database,
/// which stays the source of truth; the signal only makes reactions immediate.
/// </summary>
public sealed class Signal<TKey> where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, TaskCompletionSource> _waiters = new();

    /// <summary>Also passes each notification on to the other nodes (set on PostgreSQL by <see cref="WakeRelay"/>).</summary>
    public Action<TKey>? Relay { get; set; }

    public void Notify(TKey key)
    {
        NotifyLocal(key);
        Relay?.Invoke(key);
    }

    /// <summary>Wakes this node's waiter only: for a notification another node relayed.</summary>
    public void NotifyLocal(TKey key)
    {
        if (_waiters.TryRemove(key, out var waiter))
        {
            waiter.TrySetResult();
        }
    }

    /// <summary>Completes when <see cref="Notify"/> is called for the key, or after the timeout; never throws on timeout.</summary>
    /// <returns>True when notified, false when the timeout passed first.</returns>
    public async Task<bool> WaitAsync(TKey key, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var waiter = _waiters.GetOrAdd(key, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        try
        {
            await waiter.Task.WaitAsync(timeout, time, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}

/// <summary>The wake-ups of the task machinery.</summary>
public sealed class TaskSignals
{
    /// <summary>A machine has a new job (or a job was canceled): wake its agent's long poll.</summary>
    public Signal<int> Machines { get; } = new();

    /// <summary>A job of the deployment changed: wake its runner.</summary>
    public Signal<int> Deployments { get; } = new();

    /// <summary>A deployment's log grew or its state changed: wake the pages that show it.</summary>
    public Signal<int> Logs { get; } = new();

    /// <summary>A health-check run's log grew or it ended: wake the pages that show it. The key is the run id.</summary>
    public Signal<int> HealthChecks { get; } = new();

    /// <summary>A deployment was queued or finished: wake the task worker. The key is always 0.</summary>
    public Signal<int> Queue { get; } = new();

    /// <summary>Events were committed on this node: wake the auto-deploy engine. The key is always 0.</summary>
    public Signal<int> Events { get; } = new();

    /// <summary>Events were committed on this node: wake the activity feed (its own signal, so it never races the engine). Key 0.</summary>
    public Signal<int> Feed { get; } = new();

    /// <summary>Events were committed on this node: wake the webhook deliveries (their own signal, as the feed's). Key 0.</summary>
    public Signal<int> Subscriptions { get; } = new();
}

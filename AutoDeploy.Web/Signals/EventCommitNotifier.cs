using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AutoDeploy.Web.Signals;

/// <summary>
/// Wakes the readers of the Event table when a transaction that appended events commits. A save inside a caller's
/// own transaction cannot wake them itself: woken before the commit, the engine would read nothing new, and no later
/// wake-up would come for those events (on SQLite nothing else announces them). So the save marks its transaction
/// (<see cref="EventsAppended"/>) and this interceptor wakes the engine and the activity feed when that one commits.
/// </summary>
public sealed class EventCommitNotifier : DbTransactionInterceptor
{
    public static readonly EventCommitNotifier Instance = new();

    // Weak: a transaction rolled back or dropped takes its mark with it. Providers may reuse a transaction object,
    // so a new transaction also starts unmarked.
    private static readonly ConditionalWeakTable<DbTransaction, TaskSignals> Marked = new();

    /// <summary>The transaction appended events: wake the readers of <paramref name="signals"/> once it commits.</summary>
    public static void EventsAppended(DbTransaction transaction, TaskSignals signals) => Marked.AddOrUpdate(transaction, signals);

    public override DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        Marked.Remove(result);
        return result;
    }

    public override ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData,
        DbTransaction result, CancellationToken cancellationToken = default)
    {
        Marked.Remove(result);
        return ValueTask.FromResult(result);
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Announce(transaction);

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        Announce(transaction);
        return Task.CompletedTask;
    }

    private static void Announce(DbTransaction transaction)
    {
        if (Marked.TryGetValue(transaction, out var signals) && Marked.Remove(transaction))
        {
            signals.Events.Notify(0);
            signals.Feed.Notify(0);
            signals.Subscriptions.Notify(0);
        }
    }
}

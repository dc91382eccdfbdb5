using System.Data.Common;
using AutoDeploy.Web.Data;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AutoDeploy.Web.Signals;

/// <summary>
/// Wakes the readers of the Event table when a caller's own transaction that appended events commits. A save inside
/// such a transaction cannot wake them itself: woken before the commit, the engine would read nothing new, and no
/// later wake-up would come for those events (on SQLite nothing else announces them).
/// </summary>
public sealed class EventCommitNotifier : DbTransactionInterceptor
{
    public static readonly EventCommitNotifier Instance = new();

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) =>
        (eventData.Context as AutoDeployDbContext)?.AnnounceCommittedEvents();

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        (eventData.Context as AutoDeployDbContext)?.AnnounceCommittedEvents();
        return Task.CompletedTask;
    }
}

using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Events;
using AutoDeploy.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AutoDeploy.Web.Engine;

/// <summary>
/// A deployment that ended no longer holds its machines' auto-deploy claims: when a save appends the event that ends a
/// deployment (succeeded, failed, canceled), its open claims close in the same transaction, and the unique index over
/// open claims lets the engine queue that release to those machines again.
/// </summary>
public sealed class ClaimCloser : SaveChangesInterceptor
{
    public static readonly ClaimCloser Instance = new();

    // Only SaveChangesAsync appends events (AutoDeployDbContext refuses them in SaveChanges): no synchronous counterpart.
    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        if (eventData.Context is AutoDeployDbContext db && EndedDeployments(db) is { Count: > 0 } ended)
        {
            await db.AutoDeployClaims.Where(c => ended.Contains(c.DeploymentId) && c.IsOpen == true)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.IsOpen, (bool?)null), cancellationToken);
        }
        return result;
    }

    private static List<int> EndedDeployments(AutoDeployDbContext db) =>
        // Added entries need no change detection (adding sets their state), and EF detects changes itself next.
        db.ChangeTracker.EntriesAsDetected<Event>()
            .Where(e => e.State == EntityState.Added && e.Entity.DocumentType == nameof(Deployment)
                && EventCategories.DeploymentEnded.Contains(e.Entity.Category))
            .Select(e => e.Entity.DocumentId!.Value)
            .ToList();
}

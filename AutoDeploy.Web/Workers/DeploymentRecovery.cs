using AutoDeploy.Domain.Deployments;
using AutoDeploy.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Web.Workers;

/// <summary>
/// Ends deployments that no node is running any more: those of a node that stopped renewing its lease (killed,
/// paused, cut off), and those this node gives up. They fail with the reason; they are not restarted elsewhere,
/// and jobs already handed to agents are canceled, never run a second time.
/// </summary>
public sealed class DeploymentRecovery(
    IDbContextFactory<AutoDeployDbContext> factory, DeploymentLeases leases, TaskSignals signals, TimeProvider time,
    ILogger<DeploymentRecovery> logger)
{
    /// <summary>Fails the deployments whose node stopped holding them, except those running here; returns how many.</summary>
    public async Task<int> FailOrphanedAsync(bool includeOwnLeftovers, IReadOnlyCollection<int> runningHere, CancellationToken cancellationToken)
    {
        List<OrphanedDeployment> orphans;
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            orphans = await leases.FindOrphanedAsync(db, includeOwnLeftovers, cancellationToken);
        }
        var failed = 0;
        foreach (var orphan in orphans.Where(o => !runningHere.Contains(o.Id)))
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (!await leases.TakeOverAsync(db, orphan, cancellationToken))
            {
                continue;
            }
            var reason = StoppedReason(orphan);
            await FailWithinAsync(db, orphan.Id, reason, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            logger.LogWarning("Deployment {Id} failed: {Reason}", orphan.Id, reason);
            Wake(orphan.Id);
            failed++;
        }
        return failed;
    }

    /// <summary>Fails a deployment this node owns; does nothing when another node has taken it over meanwhile.</summary>
    public async Task FailOwnedAsync(int deploymentId, string reason, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            await leases.HoldAsync(db, deploymentId, cancellationToken);
        }
        catch (LeaseLostException)
        {
            return;
        }
        await FailWithinAsync(db, deploymentId, reason, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        Wake(deploymentId);
    }

    public string StoppedReason(OrphanedDeployment orphan) => orphan.Node switch
    {
        null => "No server node held this deployment (a server stopped while running it); it did not finish.",
        var name when name == leases.NodeName => $"Node '{name}' restarted while running this deployment; it did not finish.",
        var name => $"Node '{name}' stopped while running this deployment (its lease expired at {orphan.LeaseExpiresAt:u}); it did not finish.",
    };

    public string StoppingReason => $"Node '{leases.NodeName}' was stopped while running this deployment; it did not finish.";

    private async Task FailWithinAsync(AutoDeployDbContext db, int deploymentId, string reason, CancellationToken cancellationToken)
    {
        var deployment = await db.Deployments.SingleAsync(d => d.Id == deploymentId, cancellationToken);
        if (deployment.State.IsFinished())
        {
            return;
        }
        var now = time.GetUtcNow();
        deployment.Finish(DeploymentState.Failed, reason, now);
        var jobs = await db.MachineJobs.Where(j => j.DeploymentId == deploymentId && (j.State == JobState.Pending || j.State == JobState.Running))
            .ToListAsync(cancellationToken);
        foreach (var job in jobs)
        {
            // A running script is told to stop at its agent's next call; it is never handed out again.
            job.CancelRequested = job.State == JobState.Running;
            job.State = JobState.Canceled;
            job.Message = reason;
            job.CompletedAt = now;
        }
        var targets = await db.DeploymentTargets
            .Where(t => t.DeploymentId == deploymentId && (t.State == TargetState.Pending || t.State == TargetState.Running))
            .ToListAsync(cancellationToken);
        foreach (var target in targets)
        {
            target.State = TargetState.Failed;
            target.Reason = reason;
            target.CompletedAt = now;
        }
        db.TaskLogLines.Add(new TaskLogLine { DeploymentId = deploymentId, At = now, Stream = Domain.Agents.LogStream.Error, Text = reason });
        await db.SaveChangesAsync(cancellationToken);
    }

    private void Wake(int deploymentId)
    {
        signals.Logs.Notify(deploymentId);
        signals.Deployments.Notify(deploymentId);
        signals.Queue.Notify(0);
    }
}

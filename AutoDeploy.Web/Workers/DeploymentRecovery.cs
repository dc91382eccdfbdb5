using AutoDeploy.Domain.Deployments;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Signals;
using Microsoft.EntityFrameworkCore;
using AutoDeploy.Web.Telemetry;

namespace AutoDeploy.Web.Workers;

/// <summary>
/// Deployments that no node is running any more. One whose node stopped renewing its lease (killed, paused, cut off,
/// or stopped and handed it back) is taken over by this node, which carries on from the step it had reached: jobs
/// already handed to agents keep running and are waited for, never handed out twice. One executing without any
/// lease (left by a server from before leases) fails. A deployment this node cannot go on with fails too.
/// </summary>
public sealed class DeploymentRecovery(
    IDbContextFactory<AutoDeployDbContext> factory, DeploymentLeases leases, TaskSignals signals, TimeProvider time,
    ILogger<DeploymentRecovery> logger, AutoDeployMetrics? metrics = null)
{
    public const string NoLeaseReason = "No server node held this deployment (a server stopped while running it); it did not finish.";

    /// <summary>
    /// Takes over up to <paramref name="capacity"/> orphaned deployments (not those running here) and returns them, for
    /// this node to run on; with <paramref name="includeOwnLeftovers"/>, also those an earlier run of this node's name held.
    /// </summary>
    public async Task<List<int>> TakeOverOrphanedAsync(bool includeOwnLeftovers, IReadOnlyCollection<int> runningHere, int capacity,
        CancellationToken cancellationToken)
    {
        List<OrphanedDeployment> orphans;
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            orphans = await leases.FindOrphanedAsync(db, includeOwnLeftovers, cancellationToken);
        }
        var taken = new List<int>();
        foreach (var orphan in orphans.Where(o => !runningHere.Contains(o.Id) && (o.Node is null || taken.Count < capacity)))
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (!await leases.TakeOverAsync(db, orphan, cancellationToken))
            {
                continue;
            }
            if (orphan.Node is null)
            {
                await FailWithinAsync(db, orphan.Id, NoLeaseReason, cancellationToken);
            }
            else
            {
                db.TaskLogLines.Add(Line(orphan.Id, TakeOverMessage(orphan), Domain.Agents.LogStream.Error));
                await db.SaveChangesAsync(cancellationToken);
                taken.Add(orphan.Id);
            }
            await transaction.CommitAsync(cancellationToken);
            logger.LogWarning("Node {Node} took over deployment {Id} from {Previous}", leases.NodeName, orphan.Id, orphan.Node ?? "no node");
            signals.Logs.Notify(orphan.Id);
            signals.Queue.Notify(0);
        }
        return taken;
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
        signals.Logs.Notify(deploymentId);
        signals.Deployments.Notify(deploymentId);
        signals.Queue.Notify(0);
    }

    /// <summary>Hands the deployment back as this node stops: another node takes it over at its next heartbeat.</summary>
    public async Task ReleaseAsync(int deploymentId, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await leases.ReleaseAsync(db, deploymentId, cancellationToken);
    }

    private string TakeOverMessage(OrphanedDeployment orphan) => orphan.Node == leases.NodeName
        ? $"Node '{orphan.Node}' restarted and carries on with this deployment; jobs already handed to agents are waited for, not run again."
        : $"Node '{leases.NodeName}' took this deployment over from node '{orphan.Node}', whose lease ended at {orphan.LeaseExpiresAt:u}; " +
          "jobs already handed to agents are waited for, not run again.";

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
        db.TaskLogLines.Add(Line(deploymentId, reason, Domain.Agents.LogStream.Error));
        await db.SaveChangesAsync(cancellationToken);
        metrics?.DeploymentFinished(deployment);
    }

    private TaskLogLine Line(int deploymentId, string text, Domain.Agents.LogStream stream) =>
        new() { DeploymentId = deploymentId, At = time.GetUtcNow(), Stream = stream, Text = TaskLogLine.Bound(text) };
}

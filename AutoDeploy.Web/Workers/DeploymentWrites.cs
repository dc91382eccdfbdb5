using AutoDeploy.Domain.Agents;
using AutoDeploy.Domain.Deployments;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Signals;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Web.Workers;

/// <summary>
/// How a node running a deployment writes about it: every save conditional on still holding its lease
/// (<see cref="DeploymentLeases.HoldAsync"/>), waking the pages that show it, and log lines stamped with the node's clock.
/// </summary>
public sealed class DeploymentWrites(DeploymentLeases leases, TaskSignals signals, TimeProvider time)
{
    /// <summary>Saves, if this node still holds the deployment, and wakes the pages that show it.</summary>
    /// <exception cref="LeaseLostException">Another node took the deployment over; nothing was saved.</exception>
    public async Task SaveAsync(AutoDeployDbContext db, int deploymentId, CancellationToken cancellationToken)
    {
        if (!db.ChangeTracker.HasChanges())
        {
            return;
        }
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await leases.HoldAsync(db, deploymentId, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        signals.Logs.Notify(deploymentId);
    }

    /// <summary>A line the server writes about the deployment (<see cref="TaskLogLine.Bound"/>).</summary>
    public void AddLog(AutoDeployDbContext db, int deploymentId, string text, int? machineId = null, LogStream stream = LogStream.Output) =>
        db.TaskLogLines.Add(new TaskLogLine
        {
            DeploymentId = deploymentId, MachineId = machineId, At = time.GetUtcNow(), Stream = stream, Text = TaskLogLine.Bound(text),
        });
}

using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Triggers;
using AutoDeploy.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Web.Engine;

/// <summary>
/// The machines that failed the auto-deployments whose failure is in a page of events (for a leave hook: the machine
/// that left), each with the attempt it was, read back from the engine's own <c>AutoDeployTriggered</c> decision for that deployment.
/// </summary>
public static class FailedAttemptLoader
{
    public static async Task<List<FailedAttempt>> LoadAsync(AutoDeployDbContext db, IReadOnlyList<PlannerEvent> events, CancellationToken cancellationToken)
    {
        var failedIds = events.Where(e => e.Category == EventCategories.DeploymentFailed && e.DeploymentId != null)
            .Select(e => e.DeploymentId!.Value).Distinct().ToList();
        if (failedIds.Count == 0)
        {
            return [];
        }
        var deployments = await db.Deployments.AsNoTracking().Where(d => failedIds.Contains(d.Id) && d.TriggerId != null)
            .Select(d => new { d.Id, TriggerId = d.TriggerId!.Value, d.EnvironmentId, d.ReleaseId, d.ReleaseVersion, d.Leaving }).ToListAsync(cancellationToken);
        if (deployments.Count == 0)
        {
            return [];
        }
        var autoIds = deployments.Select(d => d.Id).ToList();
        var failedTargets = await db.DeploymentTargets.AsNoTracking()
            // Skipped too: the machines a rolling step did not start after a failure still need the release (a machine
            // skipped because it was lost is not deployable when its retry falls due, and the decision says so).
            .Where(t => autoIds.Contains(t.DeploymentId)
                && (t.State == TargetState.Failed || t.State == TargetState.TimedOut || t.State == TargetState.Skipped))
            .Select(t => new { t.DeploymentId, t.MachineId }).ToListAsync(cancellationToken);
        var decisions = (await DecisionDetails.ForDeploymentsAsync(db, [EventCategories.AutoDeployTriggered], autoIds, cancellationToken))
            .ToLookup(d => (d.DeploymentId, d.MachineId));
        // A leave hook's failure is one failed attempt for the machine that left, whichever machines the hook ran on.
        var machines = failedTargets.Where(t => deployments.Single(d => d.Id == t.DeploymentId).Leaving is null)
            .Select(t => (t.DeploymentId, t.MachineId))
            .Concat(deployments.Where(d => d.Leaving is not null).Select(d => (DeploymentId: d.Id, d.Leaving!.MachineId)));
        return machines.Select(t =>
        {
            var deployment = deployments.Single(d => d.Id == t.DeploymentId);
            var queued = decisions[(t.DeploymentId, t.MachineId)].FirstOrDefault();
            return new FailedAttempt(deployment.Id, t.MachineId, queued?.TriggerId ?? deployment.TriggerId, deployment.EnvironmentId, deployment.ReleaseId,
                deployment.ReleaseVersion, queued?.Attempt ?? 1, queued?.EventIds ?? []);
        }).ToList();
    }
}

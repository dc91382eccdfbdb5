using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Projects;
using AutoDeploy.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Web.Workers;

/// <summary>
/// Where a deployment's run stands: its steps, the machines still in it, and the step to carry on with
/// (<see cref="Resuming"/> when that step already has jobs). A node that takes a deployment over reads it from the database.
/// </summary>
public sealed record DeploymentRunProgress(IReadOnlyList<DeploymentStep> Steps, List<MachineCandidate> Active, int NextStep, bool Resuming)
{
    public static DeploymentRunProgress Fresh(IReadOnlyList<DeploymentStep> steps, List<MachineCandidate> active) => new(steps, active, 0, false);

    /// <summary>
    /// The progress of a deployment whose start was committed (by any node), or null when it has not started. The step to
    /// carry on with is the last that has jobs: they are waited for, not queued again, and a rolling step starts only its
    /// machines without one (<see cref="StepRunner"/>), so whatever agents already ran or run is never run twice.
    /// </summary>
    public static async Task<DeploymentRunProgress?> ReadAsync(AutoDeployDbContext db, int deploymentId, CancellationToken cancellationToken)
    {
        var deployment = await db.Deployments.AsNoTracking().SingleAsync(d => d.Id == deploymentId, cancellationToken);
        if (deployment.StartedAt is null)
        {
            return null;
        }
        var release = await db.Releases.AsNoTracking().SingleAsync(r => r.Id == deployment.ReleaseId, cancellationToken);
        var inPlay = await db.DeploymentTargets.AsNoTracking()
            .Where(t => t.DeploymentId == deploymentId && (t.State == TargetState.Pending || t.State == TargetState.Running))
            .Select(t => t.MachineId).ToListAsync(cancellationToken);
        var active = await db.Machines.AsNoTracking().Where(m => inPlay.Contains(m.Id))
            .Select(m => new MachineCandidate(m.Id, m.Name, m.Roles, m.IsEnabled, m.HealthStatus)).ToListAsync(cancellationToken);
        var last = await db.MachineJobs.AsNoTracking().Where(j => j.DeploymentId == deploymentId && j.StepIndex != null)
            .MaxAsync(j => j.StepIndex, cancellationToken);
        return last is { } step ? new DeploymentRunProgress(release.Steps, active, step, true) : Fresh(release.Steps, active);
    }
}

using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Signals;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Web.Services;

/// <summary>
/// Removing a machine, however it goes (deleted by a user, deregistered by its agent, cleaned up by its policy):
/// a MachineDeleted event, and its unfinished jobs ended Lost so no deployment waits for it.
/// </summary>
public static class MachineRemoval
{
    /// <summary>Stages the removal in <paramref name="db"/>; after the caller's save, <see cref="Wake"/> the deployments it returns.</summary>
    public static async Task<IReadOnlyList<int>> StageAsync(AutoDeployDbContext db, Machine machine, string reason, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        await db.Entry(machine).Collection(m => m.Environments).LoadAsync(cancellationToken);
        machine.Delete(reason);
        db.Machines.Remove(machine);
        var jobs = await db.MachineJobs
            .Where(j => j.MachineId == machine.Id && (j.State == JobState.Pending || j.State == JobState.Running))
            .ToListAsync(cancellationToken);
        foreach (var job in jobs)
        {
            job.State = JobState.Lost;
            job.Message = $"The machine was deleted: {reason}.";
            job.CompletedAt = now;
        }
        return jobs.Select(j => j.DeploymentId).OfType<int>().Distinct().ToList();
    }

    public static void Wake(TaskSignals signals, IEnumerable<int> deploymentIds)
    {
        foreach (var id in deploymentIds)
        {
            signals.Deployments.Notify(id);
        }
    }
}

using AutoDeploy.Domain.Agents;
using AutoDeploy.Domain.Events;
using AutoDeploy.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Bench;

/// <summary>
/// The server's side of a reaction, per machine, on the server's clock: MachineAdded committed → MachineHealthy committed (its first
/// contact judged) → deployment queued
/// (AutoDeployTriggered, same transaction) → deployment started by the task worker → its job created → job claimed by the agent's poll.
/// </summary>
public sealed record ReactionStages(Percentiles RegisteredToHealthy, Percentiles HealthyToQueued, Percentiles QueuedToStarted, Percentiles StartedToJob,
    Percentiles JobToClaimed)
{
    public static async Task<ReactionStages> ReadAsync(IDbContextFactory<AutoDeployDbContext> factory, IReadOnlyCollection<int> machineIds)
    {
        await using var db = await factory.CreateDbContextAsync();
        var ids = machineIds.ToList();
        var events = await db.Events.AsNoTracking()
            .Where(e => e.MachineId != null && ids.Contains(e.MachineId.Value)
                && (e.Category == EventCategories.MachineHealthy || e.Category == EventCategories.AutoDeployTriggered
                    || e.Category == EventCategories.MachineAdded))
            .Select(e => new { MachineId = e.MachineId!.Value, e.Category, e.OccurredAt, e.DeploymentId }).ToListAsync();
        var healthy = events.Where(e => e.Category == EventCategories.MachineHealthy).GroupBy(e => e.MachineId)
            .ToDictionary(g => g.Key, g => g.MinBy(e => e.OccurredAt)!.OccurredAt);
        var queued = events.Where(e => e.Category == EventCategories.AutoDeployTriggered).GroupBy(e => e.MachineId)
            .ToDictionary(g => g.Key, g => g.MinBy(e => e.OccurredAt)!);
        var started = (await db.Deployments.AsNoTracking().Where(d => d.TriggerId != null).Select(d => new { d.Id, d.StartedAt }).ToListAsync())
            .ToDictionary(d => d.Id, d => d.StartedAt);
        var allJobs = await db.MachineJobs.AsNoTracking().Where(j => ids.Contains(j.MachineId))
            .Select(j => new { j.MachineId, j.Kind, j.DeploymentId, j.CreatedAt, j.StartedAt }).ToListAsync();
        var jobs = allJobs.Where(j => j.Kind == AgentJobKind.RunScript).GroupBy(j => (j.MachineId, j.DeploymentId)).ToDictionary(g => g.Key, g => g.First());
        var registered = events.Where(e => e.Category == EventCategories.MachineAdded).GroupBy(e => e.MachineId)
            .ToDictionary(g => g.Key, g => g.Min(e => e.OccurredAt));
        var registeredToHealthy = healthy.Where(h => registered.ContainsKey(h.Key)).Select(h => h.Value - registered[h.Key]).ToList();

        var healthyToQueued = new List<TimeSpan>();
        var queuedToStarted = new List<TimeSpan>();
        var startedToJob = new List<TimeSpan>();
        var jobToClaimed = new List<TimeSpan>();
        foreach (var (machineId, decision) in queued)
        {
            if (healthy.TryGetValue(machineId, out var becameHealthy))
            {
                healthyToQueued.Add(decision.OccurredAt - becameHealthy);
            }
            if (decision.DeploymentId is not { } deploymentId || started.GetValueOrDefault(deploymentId) is not { } start)
            {
                continue;
            }
            queuedToStarted.Add(start - decision.OccurredAt);
            if (jobs.TryGetValue((machineId, deploymentId), out var job))
            {
                startedToJob.Add(job.CreatedAt - start);
                if (job.StartedAt is { } claimed)
                {
                    jobToClaimed.Add(claimed - job.CreatedAt);
                }
            }
        }
        return new ReactionStages(Percentiles.Of(registeredToHealthy), Percentiles.Of(healthyToQueued), Percentiles.Of(queuedToStarted), Percentiles.Of(startedToJob), Percentiles.Of(jobToClaimed));
    }
}

using System.Text.Json;
using AutoDeploy.Domain.Agents;
using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Engine;
using AutoDeploy.Web.Hosting;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Tests.HighAvailability;

/// <summary>What the shared database says about the cluster: the test's view from outside every node.</summary>
internal sealed class ClusterFacts(string connectionString)
{
    public AutoDeployDbContext Db() => new PostgresAutoDeployDbContext(
        new DbContextOptionsBuilder<PostgresAutoDeployDbContext>().UseNpgsql(connectionString).UseAutoDeploy(TimeProvider.System).Options);

    public async Task<long> MaxEventIdAsync()
    {
        await using var db = Db();
        return await db.Events.MaxAsync(e => (long?)e.Id) ?? 0;
    }

    public async Task<MachineHealthStatus> HealthAsync(int machineId)
    {
        await using var db = Db();
        return await db.Machines.Where(m => m.Id == machineId).Select(m => m.HealthStatus).SingleAsync();
    }

    public async Task<Deployment> DeploymentAsync(int id)
    {
        await using var db = Db();
        return await db.Deployments.AsNoTracking().SingleAsync(d => d.Id == id);
    }

    /// <summary>
    /// An executing deployment whose step has been handed to every agent (all its jobs running), if there is one now and no
    /// health check is being handed out: a node killed then loses no answer to a poll that had just claimed a job.
    /// </summary>
    public async Task<Deployment?> ExecutingWithAllJobsRunningAsync()
    {
        await using var db = Db();
        if (await db.MachineJobs.AnyAsync(j => j.Kind == AgentJobKind.HealthCheck && (j.State == JobState.Pending || j.State == JobState.Running)))
        {
            return null;
        }
        return await db.Deployments.AsNoTracking()
            .Where(d => d.State == DeploymentState.Executing && d.ExecutingNode != null)
            .Where(d => db.MachineJobs.Any(j => j.DeploymentId == d.Id)
                && db.MachineJobs.Where(j => j.DeploymentId == d.Id).All(j => j.State == JobState.Running))
            .FirstOrDefaultAsync();
    }

    /// <summary>Of the given machines, those running a deployment step right now.</summary>
    public async Task<List<int>> RunningAStepAsync(IReadOnlyCollection<int> machineIds)
    {
        await using var db = Db();
        return await db.MachineJobs.Where(j => j.DeploymentId != null && j.State == JobState.Running && machineIds.Contains(j.MachineId))
            .Select(j => j.MachineId).Distinct().ToListAsync();
    }

    /// <summary>Every machine enabled, healthy and deployed with the release; nothing queued or running; the engine caught up.</summary>
    public async Task<bool> ConvergedAsync(int releaseId, IReadOnlyCollection<int> machineIds)
    {
        await using var db = Db();
        var ready = await db.Machines.CountAsync(m => machineIds.Contains(m.Id) && m.IsEnabled && m.HealthStatus == MachineHealthStatus.Healthy);
        var deployed = await Deployed(db, releaseId).CountAsync(id => machineIds.Contains(id));
        var open = await db.Deployments.CountAsync(d => d.State == DeploymentState.Queued || d.State == DeploymentState.Executing);
        var cursor = await db.AutoDeployCursors.Select(c => c.LastEventId).SingleAsync();
        var last = await db.Events.MaxAsync(e => e.Id);
        LastConvergence = $"healthy and enabled {ready} of {machineIds.Count}, deployed {deployed} of {machineIds.Count}, " +
                          $"deployments open {open}, cursor {cursor} of {last}";
        return ready == machineIds.Count && deployed == machineIds.Count && open == 0 && cursor == last;
    }

    /// <summary>What the last <see cref="ConvergedAsync"/> found, for the message of a test that waited in vain.</summary>
    public string LastConvergence { get; private set; } = "not checked yet";

    public async Task<ClusterReport> ReportAsync(int releaseId, IReadOnlyCollection<int> machineIds, long triggerEventId)
    {
        await using var db = Db();
        var successes = await db.DeploymentTargets.Where(t => t.State == TargetState.Success)
            .Join(db.Deployments.Where(d => d.ReleaseId == releaseId), t => t.DeploymentId, d => d.Id, (t, d) => t.MachineId)
            .ToListAsync();
        var decisions = await db.Events
            .Where(e => EventCategories.AutoDeployDecisions.Contains(e.Category))
            .Select(e => e.DetailsJson!).ToListAsync();
        var decided = decisions.SelectMany(json => JsonSerializer.Deserialize<DecisionDetails>(json, DecisionDetails.Json)!.EventIds).ToHashSet();
        var available = EventGroups.Members[EventGroups.MachineAvailableForDeployment].ToList();
        var lastAvailable = await db.Events
            .Where(e => e.Id > triggerEventId && e.MachineId != null && available.Contains(e.Category))
            .GroupBy(e => e.MachineId!.Value).Select(g => new { Machine = g.Key, Last = g.Max(e => e.Id) }).ToListAsync();
        var deployments = await db.Deployments.AsNoTracking().ToListAsync();
        return new ClusterReport(
            Machines: machineIds.Count,
            SuccessesPerMachine: machineIds.ToDictionary(id => id, id => successes.Count(m => m == id)),
            UndecidedAvailableEvents: lastAvailable.Where(l => !decided.Contains(l.Last)).Select(l => l.Last).ToList(),
            Events: await db.Events.CountAsync(),
            MachineEvents: await db.Events.CountAsync(e => EventCategories.Machine.Contains(e.Category)),
            Decisions: decisions.Count,
            Cursor: await db.AutoDeployCursors.Select(c => c.LastEventId).SingleAsync(),
            MaxEventId: await db.Events.MaxAsync(e => e.Id),
            Deployments: deployments.Count,
            Succeeded: deployments.Count(d => d.State == DeploymentState.Success),
            Failed: deployments.Count(d => d.State is DeploymentState.Failed or DeploymentState.TimedOut or DeploymentState.Canceled),
            Open: deployments.Count(d => !d.State.IsFinished()) + await db.HealthCheckRuns.CountAsync(r => r.State == DeploymentState.Executing),
            TakenOver: await db.TaskLogLines.CountAsync(l => l.Text.Contains("took this deployment over")));
    }

    private static IQueryable<int> Deployed(AutoDeployDbContext db, int releaseId) =>
        db.DeploymentTargets.Where(t => t.State == TargetState.Success)
            .Join(db.Deployments.Where(d => d.ReleaseId == releaseId), t => t.DeploymentId, d => d.Id, (t, d) => t.MachineId)
            .Distinct();
}

internal sealed record ClusterReport(
    int Machines, Dictionary<int, int> SuccessesPerMachine, List<long> UndecidedAvailableEvents, int Events, int MachineEvents,
    int Decisions, long Cursor, long MaxEventId, int Deployments, int Succeeded, int Failed, int Open, int TakenOver);

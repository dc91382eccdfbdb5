using System.Text.Json;
using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Fleet;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Domain.Triggers;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Engine;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Web.Fleet;

/// <summary>
/// Reads what fleet drift is judged from in a handful of set-based queries, however many machines: the machines of the
/// filter, every project, trigger and override, the latest successful deployment per project and environment and the
/// open ones, the release each machine has of each project, and (for the machines that need them) the engine's latest
/// decisions and stored retries. The same queries on SQLite and PostgreSQL; a list of ids travels as one parameter (a JSON
/// array on SQLite, an array on PostgreSQL), however long.
/// </summary>
public static class FleetLoader
{
    private static readonly string[] Decisions = [.. EventCategories.AutoDeployDecisions];

    /// <summary>The machines of the query's environment and role, in id order, and the state to judge them against.</summary>
    public static async Task<(FleetSnapshot Fleet, List<PlannerMachine> Machines)> LoadAsync(AutoDeployDbContext db, FleetQuery query,
        CancellationToken cancellationToken)
    {
        var filtered = Machines(db, query);
        var memberships = await MembershipsAsync(db, query, filtered, cancellationToken);
        var machines = (await filtered.OrderBy(m => m.Id).Select(m => new { m.Id, m.Name, m.Roles, m.IsEnabled, m.HealthStatus })
                .ToListAsync(cancellationToken))
            .Select(m => new PlannerMachine(m.Id, m.Name, memberships[m.Id].ToList(), m.Roles, m.IsEnabled, m.HealthStatus)).ToList();
        var environments = await db.Environments.AsNoTracking().ToDictionaryAsync(e => e.Id, e => e.Name, cancellationToken);
        var projects = (await db.Projects.AsNoTracking().Where(p => !p.IsArchived).ToListAsync(cancellationToken))
            .Select(p => new PlannerProject(p.Id, p.Name, p.IsEnabled, p.Steps.Select(s => (IReadOnlyList<string>)s.Roles).ToList())).ToList();
        // Leave hooks run their project on other machines: they cover none, as for readiness.
        var triggers = (await PlannerInputLoader.LiveTriggers(db).AsNoTracking().Where(t => t.Action == TriggerAction.DeployRelease)
                .ToListAsync(cancellationToken))
            .Select(PlannerInputLoader.ToPlanner).ToList();
        var overrides = await db.AutoDeployOverrides.AsNoTracking()
            .Select(o => new PlannerOverride(o.ProjectId, o.EnvironmentId, o.ReleaseId, o.ReleaseVersion)).ToListAsync(cancellationToken);
        var deployments = await DeploymentsAsync(db, cancellationToken);
        var held = await HeldAsync(db, query, filtered, cancellationToken);
        var state = new PlannerInput([], [], projects, triggers, deployments, [], overrides, [], 0);
        return (new FleetSnapshot(state, environments, held), machines);
    }

    /// <summary>The engine's latest decision per machine, trigger and environment, and the stored retries, of these machines.</summary>
    public static async Task<(List<FleetDecision> Decisions, List<FleetRetry> Retries)> LoadDecisionsAsync(AutoDeployDbContext db,
        List<int> machineIds, CancellationToken cancellationToken)
    {
        // Retries before decisions: the engine commits a retry with its RetryScheduled decision, so a retry read first always
        // finds its decision in the read after it (read the other way round, a pass committing in between showed a retry
        // without its decision).
        var retries = await db.AutoDeployRetries.AsNoTracking().Where(r => EF.Parameter(machineIds).Contains(r.MachineId))
            .Select(r => new FleetRetry(r.MachineId, r.TriggerId, r.EnvironmentId, r.Attempt, r.DueAt)).ToListAsync(cancellationToken);
        // The categories as one parameter too: as constants, SQLite (which keeps no statistics here) would read every decision
        // ever made through the Category index instead of these machines' events through (MachineId, TriggerId).
        var latest = await db.Events.AsNoTracking()
            .Where(e => e.MachineId != null && e.TriggerId != null && e.EnvironmentId != null && EF.Parameter(machineIds).Contains(e.MachineId.Value)
                && EF.Parameter(Decisions).Contains(e.Category))
            .GroupBy(e => new { e.MachineId, e.TriggerId, e.EnvironmentId }).Select(g => g.Max(e => e.Id))
            .ToListAsync(cancellationToken);
        var decisions = (await db.Events.AsNoTracking().Where(e => EF.Parameter(latest).Contains(e.Id))
                .Select(e => new { e.Id, e.MachineId, e.TriggerId, e.EnvironmentId, e.Category, e.ReleaseId, e.DeploymentId, e.Message, e.DetailsJson })
                .ToListAsync(cancellationToken))
            .Select(e => new FleetDecision(e.Id, e.MachineId!.Value, e.TriggerId!.Value, e.EnvironmentId!.Value,
                e.Category == EventCategories.AutoDeployTriggered ? nameof(DecisionKind.Queued) : DecisionDetails.KindOf(e.DetailsJson), e.ReleaseId, e.DeploymentId,
                e.Message))
            .ToList();
        return (decisions, retries);
    }

    private static IQueryable<Machine> Machines(AutoDeployDbContext db, FleetQuery query)
    {
        var machines = db.Machines.AsNoTracking();
        if (query.EnvironmentId is { } environmentId)
        {
            machines = machines.Where(m => m.Environments.Any(e => e.Id == environmentId));
        }
        if (!string.IsNullOrWhiteSpace(query.Role))
        {
            var role = query.Role.Trim().ToLowerInvariant();
            machines = machines.Where(m => m.Roles.Contains(role));
        }
        return machines;
    }

    /// <summary>The environments of the machines of the filter, read from the join table (not through each machine).</summary>
    private static async Task<ILookup<int, int>> MembershipsAsync(AutoDeployDbContext db, FleetQuery query, IQueryable<Machine> filtered,
        CancellationToken cancellationToken)
    {
        var memberships = db.Set<Dictionary<string, object>>("MachineEnvironments").AsNoTracking()
            .Select(x => new { MachineId = EF.Property<int>(x, "MachineId"), EnvironmentId = EF.Property<int>(x, "EnvironmentId") });
        if (IsFiltered(query))
        {
            var machineIds = filtered.Select(m => m.Id);
            memberships = memberships.Where(x => machineIds.Contains(x.MachineId));
        }
        return (await memberships.ToListAsync(cancellationToken)).ToLookup(x => x.MachineId, x => x.EnvironmentId);
    }

    private static bool IsFiltered(FleetQuery query) => query.EnvironmentId is not null || !string.IsNullOrWhiteSpace(query.Role);

    /// <summary>The latest successful deployment per project and environment, and every queued or running one with its open targets.</summary>
    private static async Task<List<PlannerDeployment>> DeploymentsAsync(AutoDeployDbContext db, CancellationToken cancellationToken)
    {
        var latestSuccess = await db.Deployments.AsNoTracking().Where(d => d.State == DeploymentState.Success)
            .GroupBy(d => new { d.ProjectId, d.EnvironmentId }).Select(g => g.Max(d => d.Id)).ToListAsync(cancellationToken);
        var deployments = await db.Deployments.AsNoTracking()
            .Where(d => latestSuccess.Contains(d.Id) || d.State == DeploymentState.Queued || d.State == DeploymentState.Executing)
            .Select(d => new { d.Id, d.ProjectId, d.EnvironmentId, d.ReleaseId, d.ReleaseVersion, d.State, d.ChosenMachineIds })
            .ToListAsync(cancellationToken);
        var running = deployments.Where(d => d.State == DeploymentState.Executing).Select(d => d.Id).ToList();
        // Only targets still pending or running make a running deployment include a machine (PlannerInput.PendingFor).
        var targets = (await db.DeploymentTargets.AsNoTracking()
                .Where(t => running.Contains(t.DeploymentId) && (t.State == TargetState.Pending || t.State == TargetState.Running))
                .Select(t => new { t.DeploymentId, t.MachineId, t.State }).ToListAsync(cancellationToken))
            .ToLookup(t => t.DeploymentId, t => new PlannerTarget(t.MachineId, t.State));
        return deployments.Select(d => new PlannerDeployment(d.Id, d.ProjectId, d.EnvironmentId, d.ReleaseId, d.ReleaseVersion, d.State,
            d.ChosenMachineIds, targets[d.Id].ToList())).ToList();
    }

    /// <summary>For each machine of the filter and each project, the release of its latest successful deployment there.</summary>
    private static async Task<List<HeldRelease>> HeldAsync(AutoDeployDbContext db, FleetQuery query, IQueryable<Machine> filtered,
        CancellationToken cancellationToken)
    {
        var targets = db.DeploymentTargets.AsNoTracking().Where(t => t.State == TargetState.Success);
        if (IsFiltered(query))
        {
            var machineIds = filtered.Select(m => m.Id);
            targets = targets.Where(t => machineIds.Contains(t.MachineId));
        }
        var deployments = db.Deployments.AsNoTracking();
        if (query.ProjectId is { } projectId)
        {
            deployments = deployments.Where(d => d.ProjectId == projectId);
        }
        var latest = await targets.Join(deployments, t => t.DeploymentId, d => d.Id, (t, d) => new { t.MachineId, d.ProjectId, DeploymentId = d.Id })
            .GroupBy(x => new { x.MachineId, x.ProjectId }).Select(g => new { g.Key.MachineId, g.Key.ProjectId, DeploymentId = g.Max(x => x.DeploymentId) })
            .ToListAsync(cancellationToken);
        var ids = latest.Select(l => l.DeploymentId).Distinct().ToList();
        var releases = (await db.Deployments.AsNoTracking().Where(d => EF.Parameter(ids).Contains(d.Id))
                .Select(d => new { d.Id, d.ReleaseId, d.ReleaseVersion }).ToListAsync(cancellationToken))
            .ToDictionary(d => d.Id, d => (d.ReleaseId, d.ReleaseVersion));
        return latest.Select(l => new HeldRelease(l.MachineId, l.ProjectId, releases[l.DeploymentId].ReleaseId, releases[l.DeploymentId].ReleaseVersion,
            l.DeploymentId)).ToList();
    }
}

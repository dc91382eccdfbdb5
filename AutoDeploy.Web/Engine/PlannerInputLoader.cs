using System.Text.Json;
using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Triggers;
using AutoDeploy.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Web.Engine;

/// <summary>Reads what the planner needs for one page of events: only the machines, projects and deployments they concern.</summary>
public static class PlannerInputLoader
{
    private static readonly string[] Ended = [.. EventCategories.DeploymentEnded];

    /// <summary>
    /// A page of events after the cursor and the retries due at <paramref name="now"/>, with the state they concern.
    /// With neither, only those two indexed queries run: an idle pass never reads the history.
    /// </summary>
    public static async Task<PlannerInput> LoadAsync(AutoDeployDbContext db, long cursor, int pageSize, DateTimeOffset now, RetryPolicy retry,
        CancellationToken cancellationToken)
    {
        var events = await db.Events.AsNoTracking().Where(e => e.Id > cursor).OrderBy(e => e.Id).Take(pageSize)
            .Select(e => new PlannerEvent(e.Id, e.Category, e.MachineId, e.DeploymentId, e.OccurredAt)).ToListAsync(cancellationToken);
        var due = await db.AutoDeployRetries.AsNoTracking().Where(r => r.DueAt <= now).OrderBy(r => r.Id).Take(pageSize)
            .Select(r => new DueRetry(r.Id, r.MachineId, r.TriggerId, r.EnvironmentId, r.Attempt, r.EventIds)).ToListAsync(cancellationToken);
        if (events.Count == 0 && due.Count == 0)
        {
            return new PlannerInput([], [], [], [], [], [], [], [], cursor) { Now = now, Retry = retry };
        }
        var endedDeployments = events.Where(e => Ended.Contains(e.Category) && e.DeploymentId != null).Select(e => e.DeploymentId!.Value).ToList();
        var waiting = await LoadWaitingAsync(db, endedDeployments, cancellationToken);
        var failed = await FailedAttemptLoader.LoadAsync(db, events, cancellationToken);
        var machineIds = events.Where(e => e.MachineId != null).Select(e => e.MachineId!.Value).Concat(waiting.Select(w => w.MachineId))
            .Concat(due.Select(r => r.MachineId)).Concat(failed.Select(f => f.MachineId)).Distinct().ToList();
        var triggers = (await LiveTriggers(db).AsNoTracking().ToListAsync(cancellationToken)).Select(ToPlanner).ToList();
        var input = await LoadStateAsync(db, events, triggers, waiting, machineIds, cursor, cancellationToken);
        input = input with { Failed = failed, DueRetries = due, Now = now, Retry = retry };
        return triggers.Any(t => t.IsLeaveHook) ? await LeaveHookLoader.AddAsync(db, input, machineIds, cancellationToken) : input;
    }

    /// <summary>
    /// For the trigger editor's preview: the given (synthetic) events with the current state of their machines and the
    /// trigger's project, the trigger as edited being the only one. Reads only; nothing is written.
    /// </summary>
    public static Task<PlannerInput> LoadForPreviewAsync(AutoDeployDbContext db, IReadOnlyList<PlannerEvent> events, PlannerTrigger trigger,
        CancellationToken cancellationToken)
    {
        var machineIds = events.Where(e => e.MachineId != null).Select(e => e.MachineId!.Value).Distinct().ToList();
        var cursor = events.Count == 0 ? 0 : events.Min(e => e.Id) - 1;
        return LoadStateAsync(db, events, [trigger], [], machineIds, cursor, cancellationToken);
    }

    /// <summary>
    /// For readiness: one machine (none if it does not exist), every enabled trigger, and the state the engine would read
    /// for them, as for a pass (no events). A handful of set-based queries however many triggers there are.
    /// </summary>
    public static async Task<PlannerInput> LoadForMachineAsync(AutoDeployDbContext db, int machineId, CancellationToken cancellationToken)
    {
        var triggers = (await LiveTriggers(db).AsNoTracking().Where(t => t.IsEnabled && t.Action == TriggerAction.DeployRelease)
            .ToListAsync(cancellationToken)).Select(ToPlanner).ToList();
        return await LoadStateAsync(db, [], triggers, [], [machineId], 0, cancellationToken);
    }

    /// <summary>The triggers the engine reads: those of archived projects are ignored, as if they did not exist.</summary>
    public static IQueryable<ProjectTrigger> LiveTriggers(AutoDeployDbContext db) =>
        db.Triggers.Where(t => !db.Projects.Any(p => p.Id == t.ProjectId && p.IsArchived));

    public static PlannerTrigger ToPlanner(ProjectTrigger t) =>
        new(t.Id, t.ProjectId, t.Name, t.IsEnabled, t.EnvironmentIds, t.Roles, t.Categories, t.Redeploy, t.Action);

    /// <summary>Everything but the events, triggers and waiting machines: the machines, projects, deployments, releases and overrides.</summary>
    private static async Task<PlannerInput> LoadStateAsync(AutoDeployDbContext db, IReadOnlyList<PlannerEvent> events, List<PlannerTrigger> triggers,
        List<WaitingMachine> waiting, List<int> machineIds, long cursor, CancellationToken cancellationToken)
    {
        var machines = (await db.Machines.AsNoTracking().Include(m => m.Environments).Where(m => machineIds.Contains(m.Id)).ToListAsync(cancellationToken))
            .Select(m => new PlannerMachine(m.Id, m.Name, m.Environments.Select(e => e.Id).ToList(), m.Roles, m.IsEnabled, m.HealthStatus))
            .ToList();
        var projectIds = triggers.Select(t => t.ProjectId).Distinct().ToList();
        var projects = (await db.Projects.AsNoTracking().Where(p => projectIds.Contains(p.Id)).ToListAsync(cancellationToken))
            .Select(p => new PlannerProject(p.Id, p.Name, p.IsEnabled, p.Steps.Select(s => (IReadOnlyList<string>)s.Roles).ToList())).ToList();
        var deployments = await LoadDeploymentsAsync(db, projectIds, cancellationToken);
        var installed = await LoadInstalledAsync(db, machineIds, cancellationToken);
        var overrides = await db.AutoDeployOverrides.AsNoTracking().Where(o => projectIds.Contains(o.ProjectId))
            .Select(o => new PlannerOverride(o.ProjectId, o.EnvironmentId, o.ReleaseId, o.ReleaseVersion)).ToListAsync(cancellationToken);
        return new PlannerInput(events, machines, projects, triggers, deployments, installed, overrides, waiting, cursor);
    }

    /// <summary>The latest successful deployment per project and environment, and every queued or running one with its machines.</summary>
    private static async Task<List<PlannerDeployment>> LoadDeploymentsAsync(AutoDeployDbContext db, List<int> projectIds, CancellationToken cancellationToken)
    {
        var latestSuccess = await db.Deployments.AsNoTracking()
            .Where(d => projectIds.Contains(d.ProjectId) && d.State == DeploymentState.Success)
            .GroupBy(d => new { d.ProjectId, d.EnvironmentId }).Select(g => g.Max(d => d.Id)).ToListAsync(cancellationToken);
        var deployments = await db.Deployments.AsNoTracking()
            .Where(d => latestSuccess.Contains(d.Id) || (projectIds.Contains(d.ProjectId)
                && (d.State == DeploymentState.Queued || d.State == DeploymentState.Executing)))
            .ToListAsync(cancellationToken);
        var running = deployments.Where(d => d.State == DeploymentState.Executing).Select(d => d.Id).ToList();
        var targets = await db.DeploymentTargets.AsNoTracking().Where(t => running.Contains(t.DeploymentId)).ToListAsync(cancellationToken);
        return deployments.Select(d => new PlannerDeployment(d.Id, d.ProjectId, d.EnvironmentId, d.ReleaseId, d.ReleaseVersion, d.State,
            d.ChosenMachineIds, targets.Where(t => t.DeploymentId == d.Id).Select(t => new PlannerTarget(t.MachineId, t.State)).ToList())).ToList();
    }

    /// <summary>For each machine and project, the release of its latest successful deployment there.</summary>
    private static async Task<List<InstalledRelease>> LoadInstalledAsync(AutoDeployDbContext db, List<int> machineIds, CancellationToken cancellationToken)
    {
        var successes = await db.DeploymentTargets.AsNoTracking()
            .Where(t => machineIds.Contains(t.MachineId) && t.State == TargetState.Success)
            .Join(db.Deployments, t => t.DeploymentId, d => d.Id, (t, d) => new { t.MachineId, d.ProjectId, d.ReleaseId, d.Id })
            .ToListAsync(cancellationToken);
        var latest = successes.GroupBy(s => (s.MachineId, s.ProjectId)).Select(g => g.MaxBy(s => s.Id)!).ToList();
        var deploymentIds = latest.Select(s => s.Id).Distinct().ToList();
        var ended = (await db.Events.AsNoTracking()
                .Where(e => e.DeploymentId != null && deploymentIds.Contains(e.DeploymentId.Value) && Ended.Contains(e.Category))
                .Select(e => new { DeploymentId = e.DeploymentId!.Value, e.Id }).ToListAsync(cancellationToken))
            .GroupBy(e => e.DeploymentId).ToDictionary(g => g.Key, g => g.Max(e => e.Id));
        return latest.Select(s => new InstalledRelease(s.MachineId, s.ProjectId, s.ReleaseId, ended.GetValueOrDefault(s.Id))).ToList();
    }

    /// <summary>Machines the engine told to wait for deployments that have now ended: read back from its own decision events.</summary>
    private static async Task<List<WaitingMachine>> LoadWaitingAsync(AutoDeployDbContext db, List<int> endedDeployments, CancellationToken cancellationToken)
    {
        if (endedDeployments.Count == 0)
        {
            return [];
        }
        // Waiting was recorded as blocked before AutoDeployNoAction existed; a database from then resumes its machines too.
        var details = await DecisionDetails.ForDeploymentsAsync(db, [EventCategories.AutoDeployNoAction, EventCategories.AutoDeployBlocked],
            endedDeployments, cancellationToken);
        return details.Where(d => d.Kind == nameof(DecisionKind.WaitingForDeployment) && d.DeploymentId is not null)
            .Select(d => new WaitingMachine(d.MachineId, d.TriggerId, d.EnvironmentId, d.DeploymentId!.Value, d.EventIds)).ToList();
    }
}

/// <summary>The details JSON of an engine decision event: enough to explain it and to resume a waiting machine.</summary>
public sealed record DecisionDetails(string Kind, int MachineId, int TriggerId, int EnvironmentId, int? ReleaseId, int? DeploymentId, IReadOnlyList<long> EventIds,
    int Attempt = 1)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The kind of a decision (e.g. Blocked) from its details JSON; null when there is none or it cannot be read.</summary>
    public static string? KindOf(string? detailsJson)
    {
        try
        {
            return detailsJson is null ? null : JsonSerializer.Deserialize<DecisionDetails>(detailsJson, Json)?.Kind;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The engine's decisions of the categories that name one of the deployments, read back.</summary>
    public static async Task<List<DecisionDetails>> ForDeploymentsAsync(AutoDeployDbContext db, IReadOnlyList<string> categories,
        IReadOnlyList<int> deploymentIds, CancellationToken cancellationToken)
    {
        var details = await db.Events.AsNoTracking()
            .Where(e => categories.Contains(e.Category) && e.DeploymentId != null && deploymentIds.Contains(e.DeploymentId.Value))
            .Select(e => e.DetailsJson).ToListAsync(cancellationToken);
        return details.OfType<string>().Select(json => JsonSerializer.Deserialize<DecisionDetails>(json, Json)!).ToList();
    }
}

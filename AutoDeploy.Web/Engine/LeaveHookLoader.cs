using System.Text.Json;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Domain.Releases;
using AutoDeploy.Domain.Triggers;
using AutoDeploy.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Web.Engine;

/// <summary>
/// What leave hooks need beyond a pass's usual input (docs/architecture.md §4): the deleted machines as their
/// MachineDeleted event described them, the newest release of each hook's project, the hooks that already ran for a
/// machine's current leave, and the events due hook retries name. Read only when a leave hook exists.
/// </summary>
public static class LeaveHookLoader
{
    private static readonly string[] Arrivals = [.. MachineActivity.Arrival];

    public static async Task<PlannerInput> AddAsync(AutoDeployDbContext db, PlannerInput input, List<int> machineIds,
        CancellationToken cancellationToken)
    {
        var hooks = input.Triggers.Where(t => t.IsLeaveHook).ToList();
        var hookIds = hooks.Select(t => t.Id).ToList();
        var present = input.Machines.Select(m => m.Id).ToHashSet();
        var missing = machineIds.Where(id => !present.Contains(id)).ToList();
        var departed = (await db.Events.AsNoTracking()
                .Where(e => e.Category == EventCategories.MachineDeleted && e.MachineId != null && missing.Contains(e.MachineId.Value))
                .Select(e => new { MachineId = e.MachineId!.Value, e.DetailsJson }).ToListAsync(cancellationToken))
            .Select(e => (e.MachineId, Snapshot: Read(e.DetailsJson)))
            .Where(e => e.Snapshot is not null)
            .Select(e => new PlannerMachine(e.MachineId, e.Snapshot!.Name, e.Snapshot.EnvironmentIds, e.Snapshot.Roles, false,
                MachineHealthStatus.Unavailable))
            .DistinctBy(m => m.Id).ToList();
        var projectIds = hooks.Select(t => t.ProjectId).Distinct().ToList();
        var releases = await db.Releases.AsNoTracking().Where(r => projectIds.Contains(r.ProjectId))
            .Select(r => new { r.ProjectId, r.Id, r.Version }).ToListAsync(cancellationToken);
        var newest = releases.GroupBy(r => r.ProjectId)
            .Select(g => ReleaseVersions.NewestFirst(g, r => r.Version).First())
            .Select(r => new PlannerRelease(r.ProjectId, r.Id, r.Version)).ToList();
        var retryEventIds = input.DueRetries.Where(r => hookIds.Contains(r.TriggerId)).SelectMany(r => r.EventIds).Distinct().ToList();
        var retryEvents = await db.Events.AsNoTracking().Where(e => retryEventIds.Contains(e.Id))
            .Select(e => new PlannerEvent(e.Id, e.Category, e.MachineId, e.DeploymentId)).ToListAsync(cancellationToken);
        return input with
        {
            Departed = departed,
            NewestReleases = newest,
            HookRuns = await RunsAsync(db, input, machineIds, hookIds, cancellationToken),
            RetryEvents = retryEvents,
        };
    }

    /// <summary>Hooks whose latest queued decision for a machine came after the machine's latest arrival up to this page.</summary>
    private static async Task<List<LeaveHookRun>> RunsAsync(AutoDeployDbContext db, PlannerInput input, List<int> machineIds, List<int> hookIds,
        CancellationToken cancellationToken)
    {
        var upTo = input.Events.Count == 0 ? input.Cursor : input.Events.Max(e => e.Id);
        var ran = await db.Events.AsNoTracking()
            .Where(e => e.Category == EventCategories.AutoDeployTriggered && e.MachineId != null && machineIds.Contains(e.MachineId.Value)
                && e.TriggerId != null && hookIds.Contains(e.TriggerId.Value))
            .GroupBy(e => new { MachineId = e.MachineId!.Value, TriggerId = e.TriggerId!.Value })
            .Select(g => new { g.Key.MachineId, g.Key.TriggerId, Id = g.Max(e => e.Id) }).ToListAsync(cancellationToken);
        if (ran.Count == 0)
        {
            return [];
        }
        var arrived = await db.Events.AsNoTracking()
            .Where(e => e.Id <= upTo && e.MachineId != null && machineIds.Contains(e.MachineId.Value) && Arrivals.Contains(e.Category))
            .GroupBy(e => e.MachineId!.Value).Select(g => new { MachineId = g.Key, Id = g.Max(e => e.Id) })
            .ToDictionaryAsync(a => a.MachineId, a => a.Id, cancellationToken);
        return ran.Where(r => r.Id > arrived.GetValueOrDefault(r.MachineId)).Select(r => new LeaveHookRun(r.MachineId, r.TriggerId, r.Id)).ToList();
    }

    private static MachineSnapshot? Read(string? json)
    {
        try
        {
            return json is null ? null : JsonSerializer.Deserialize<MachineSnapshot>(json, DecisionDetails.Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

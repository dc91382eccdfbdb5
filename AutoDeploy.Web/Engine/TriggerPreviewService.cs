using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Triggers;
using AutoDeploy.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Web.Engine;

/// <summary>A machine the preview can pretend raised an event.</summary>
public sealed record PreviewMachine(int Id, string Name, IReadOnlyList<int> EnvironmentIds);

/// <summary>A deployment the engine would queue: a release of the project to an environment, on these machines.</summary>
public sealed record PreviewDeployment(string EnvironmentName, string ReleaseVersion, IReadOnlyList<string> MachineNames);

/// <summary>What the planner decided for the synthetic events: one decision per machine and environment, and the deployments.</summary>
public sealed record TriggerPreview(IReadOnlyList<AutoDeployDecision> Decisions, IReadOnlyList<PreviewDeployment> Deployments);

/// <summary>
/// The trigger editor's "what would happen": the planner the engine uses, run on one synthetic event per machine with the
/// current database state and the trigger as edited (unsaved) as the only trigger. Writes nothing.
/// </summary>
public sealed class TriggerPreviewService(IDbContextFactory<AutoDeployDbContext> factory)
{
    /// <summary>The machines in any of these environments, by name, with their environments.</summary>
    public async Task<IReadOnlyList<PreviewMachine>> MachinesAsync(IReadOnlyCollection<int> environmentIds, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var ids = environmentIds.ToList();
        return (await db.Machines.AsNoTracking().Include(m => m.Environments).Where(m => m.Environments.Any(e => ids.Contains(e.Id)))
                .ToListAsync(cancellationToken))
            .OrderBy(m => m.Name, StringComparer.OrdinalIgnoreCase)
            .Select(m => new PreviewMachine(m.Id, m.Name, m.Environments.Select(e => e.Id).ToList())).ToList();
    }

    /// <summary>The machines that can raise the event: those in the trigger's environments as edited (none: the project's).</summary>
    public static IReadOnlyList<PreviewMachine> Candidates(IReadOnlyList<PreviewMachine> projectMachines, IReadOnlyCollection<int> triggerEnvironmentIds) =>
        triggerEnvironmentIds.Count == 0 ? projectMachines
            : projectMachines.Where(m => m.EnvironmentIds.Any(triggerEnvironmentIds.Contains)).ToList();

    /// <summary>The machines a preview runs on: the chosen candidates, or every candidate when none is chosen.</summary>
    public static IReadOnlyList<int> Raising(IReadOnlyList<PreviewMachine> projectMachines, IReadOnlyCollection<int> triggerEnvironmentIds,
        IReadOnlyCollection<int> chosen)
    {
        var candidates = Candidates(projectMachines, triggerEnvironmentIds).Select(m => m.Id).ToList();
        var picked = candidates.Where(chosen.Contains).ToList();
        return picked.Count == 0 ? candidates : picked;
    }

    /// <param name="projectId">The trigger's project.</param>
    /// <param name="triggerId">The saved trigger's id, 0 for a new one.</param>
    /// <param name="trigger">The trigger as the user is editing it.</param>
    /// <param name="machineIds">The machines that raise the event, each its own (ids -1, -2, …).</param>
    /// <param name="category">The event category they raise.</param>
    public async Task<TriggerPreview> PreviewAsync(int projectId, int triggerId, TriggerInput trigger, IReadOnlyList<int> machineIds, string category,
        CancellationToken cancellationToken = default)
    {
        var events = machineIds.Select((machineId, i) => new PlannerEvent(-(i + 1), category, machineId)).ToList();
        var edited = new PlannerTrigger(triggerId, projectId, string.IsNullOrWhiteSpace(trigger.Name) ? "(unnamed)" : trigger.Name.Trim(),
            trigger.IsEnabled, trigger.EnvironmentIds.ToList(), trigger.Roles.ToList(),
            EventGroups.Expand(trigger.EventGroups, trigger.EventCategories), trigger.Redeploy, trigger.Action);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var input = await PlannerInputLoader.LoadForPreviewAsync(db, events, edited, cancellationToken);
        var plan = AutoDeployPlanner.Plan(input);
        var environmentIds = plan.Deployments.Select(d => d.EnvironmentId).Distinct().ToList();
        var environments = await db.Environments.AsNoTracking().Where(e => environmentIds.Contains(e.Id))
            .ToDictionaryAsync(e => e.Id, e => e.Name, cancellationToken);
        var machineNames = input.Machines.ToDictionary(m => m.Id, m => m.Name);
        var versions = plan.Decisions.Where(d => d.ReleaseId is not null && d.ReleaseVersion is not null)
            .DistinctBy(d => d.ReleaseId).ToDictionary(d => d.ReleaseId!.Value, d => d.ReleaseVersion!);
        var deployments = plan.Deployments.Select(d => new PreviewDeployment(
            environments.GetValueOrDefault(d.EnvironmentId, $"Environment {d.EnvironmentId}"),
            versions.GetValueOrDefault(d.ReleaseId, $"release {d.ReleaseId}"),
            d.MachineIds.Select(m => machineNames.GetValueOrDefault(m, $"Machine {m}")).ToList())).ToList();
        return new TriggerPreview(plan.Decisions, deployments);
    }
}

using System.Text.Json;
using AutoDeploy.Domain.Events;
using AutoDeploy.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Web.Engine;

/// <summary>
/// One auto-deploy decision as the machine and trigger pages explain it: queued or blocked, the planner's kind
/// (e.g. AlreadyInstalled), its reason and what it links to.
/// </summary>
public sealed record AutoDeployDecisionView(
    long EventId, DateTimeOffset OccurredAt, bool Queued, string? Kind, string Reason,
    int? MachineId, string? MachineName, int? TriggerId, string? TriggerName, int? DeploymentId);

/// <summary>Reads the engine's decision events (<see cref="EventCategories.AutoDeployDecisions"/>), newest first.</summary>
public sealed class AutoDeployDecisionQueries(IDbContextFactory<AutoDeployDbContext> factory)
{
    public const int MaxTake = 200;

    public Task<IReadOnlyList<AutoDeployDecisionView>> ForMachineAsync(int machineId, int take, CancellationToken cancellationToken = default) =>
        LoadAsync(e => e.MachineId == machineId, take, cancellationToken);

    public Task<IReadOnlyList<AutoDeployDecisionView>> ForTriggerAsync(int triggerId, int take, CancellationToken cancellationToken = default) =>
        LoadAsync(e => e.TriggerId == triggerId, take, cancellationToken);

    /// <summary>A page of a machine's decisions before the event id <paramref name="before"/>; null when there is no such machine.</summary>
    public Task<IReadOnlyList<AutoDeployDecisionView>?> PageForMachineAsync(int machineId, long? before, int take,
        CancellationToken cancellationToken = default) =>
        PageAsync(db => db.Machines.AnyAsync(m => m.Id == machineId, cancellationToken),
            e => e.MachineId == machineId && (before == null || e.Id < before), take, cancellationToken);

    /// <summary>A page of a trigger's decisions before the event id <paramref name="before"/>; null when there is no such trigger.</summary>
    public Task<IReadOnlyList<AutoDeployDecisionView>?> PageForTriggerAsync(int triggerId, long? before, int take,
        CancellationToken cancellationToken = default) =>
        PageAsync(db => db.Triggers.AnyAsync(t => t.Id == triggerId, cancellationToken),
            e => e.TriggerId == triggerId && (before == null || e.Id < before), take, cancellationToken);

    /// <summary>The latest decisions that did something or need someone: "why not" (the trigger not applying) left out.</summary>
    public Task<IReadOnlyList<AutoDeployDecisionView>> LatestAsync(int take, CancellationToken cancellationToken = default) =>
        LoadAsync(e => e.Category != EventCategories.AutoDeployNotApplicable, take, cancellationToken);

    private async Task<IReadOnlyList<AutoDeployDecisionView>?> PageAsync(Func<AutoDeployDbContext, Task<bool>> exists,
        System.Linq.Expressions.Expression<Func<Event, bool>> filter, int take, CancellationToken cancellationToken)
    {
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            if (!await exists(db))
            {
                return null;
            }
        }
        return await LoadAsync(filter, take, cancellationToken);
    }

    private async Task<IReadOnlyList<AutoDeployDecisionView>> LoadAsync(
        System.Linq.Expressions.Expression<Func<Event, bool>> filter, int take, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var events = await db.Events.AsNoTracking().Where(filter)
            .Where(e => EventCategories.AutoDeployDecisions.Contains(e.Category))
            .OrderByDescending(e => e.Id).Take(Math.Clamp(take, 1, MaxTake)).ToListAsync(cancellationToken);
        var machineIds = events.Where(e => e.MachineId != null).Select(e => e.MachineId!.Value).Distinct().ToList();
        var names = await db.Machines.AsNoTracking().Where(m => machineIds.Contains(m.Id))
            .ToDictionaryAsync(m => m.Id, m => m.Name, cancellationToken);
        var triggerIds = events.Where(e => e.TriggerId != null).Select(e => e.TriggerId!.Value).Distinct().ToList();
        var triggers = await db.Triggers.AsNoTracking().Where(t => triggerIds.Contains(t.Id))
            .ToDictionaryAsync(t => t.Id, t => t.Name, cancellationToken);
        return events.Select(e => new AutoDeployDecisionView(e.Id, e.OccurredAt, e.Category == EventCategories.AutoDeployTriggered,
            DecisionDetails.KindOf(e.DetailsJson), e.Message, e.MachineId, e.MachineId is { } m ? names.GetValueOrDefault(m) : null,
            e.TriggerId, e.TriggerId is { } t ? triggers.GetValueOrDefault(t) : null, e.DeploymentId)).ToList();
    }
}

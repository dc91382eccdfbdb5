using System.Text.Json;
using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Triggers;
using AutoDeploy.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Web.Engine;

/// <summary>
/// Whether a machine has everything its triggers say it should (issue 14's readiness gate): for the agent's
/// <c>wait-ready</c>, the API and the machine page. The needs come from the engine's own rules on the state the engine
/// reads (<see cref="PlannerInputLoader.LoadForMachineAsync"/>, <see cref="AutoDeployPlanner.EnvironmentsFor"/>,
/// <see cref="AutoDeployPlanner.ReleaseFor"/>); the judging is <see cref="Readiness.Judge"/>. A dozen queries, however
/// many triggers match.
/// </summary>
public sealed class ReadinessLoader(IDbContextFactory<AutoDeployDbContext> factory)
{
    /// <summary>The machine's readiness, or null when there is no such machine.</summary>
    public async Task<MachineReadiness?> LoadAsync(int machineId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var input = await PlannerInputLoader.LoadForMachineAsync(db, machineId, cancellationToken);
        if (input.Machines is not [var machine])
        {
            return null;
        }
        var projects = input.Projects.ToDictionary(p => p.Id);
        var matches = input.Triggers.OrderBy(t => t.Id)
            .Where(t => projects.TryGetValue(t.ProjectId, out var project) && AutoDeployPlanner.HasStepFor(project, machine))
            .SelectMany(t => AutoDeployPlanner.EnvironmentsFor(machine, t, projects[t.ProjectId])
                .Select(environmentId => (Trigger: t, Project: projects[t.ProjectId], EnvironmentId: environmentId,
                    Release: AutoDeployPlanner.ReleaseFor(input, t.ProjectId, environmentId))))
            .ToList();
        var releaseIds = matches.Where(m => m.Release is not null).Select(m => m.Release!.Value.Id).Distinct().ToList();
        var environmentIds = matches.Select(m => m.EnvironmentId).Distinct().ToList();
        var environments = await db.Environments.AsNoTracking().Where(e => environmentIds.Contains(e.Id))
            .ToDictionaryAsync(e => e.Id, e => e.Name, cancellationToken);
        var latest = await LatestDeploymentsAsync(db, machine.Id, releaseIds, cancellationToken);
        var blocks = await BlocksAsync(db, machine.Id, releaseIds, cancellationToken);

        var needs = matches.Select(m =>
        {
            var need = new ReadinessNeed(m.Project.Name, m.Trigger.Name, environments.GetValueOrDefault(m.EnvironmentId, $"Environment {m.EnvironmentId}"),
                m.Release?.Version);
            if (m.Release is not { } release)
            {
                return need;
            }
            var releaseId = release.Id;
            var pending = input.PendingFor(machine.Id, releaseId, m.EnvironmentId);
            var last = latest.GetValueOrDefault((m.EnvironmentId, releaseId));
            var block = blocks.GetValueOrDefault((m.EnvironmentId, releaseId));
            return need with
            {
                Installed = input.IsInstalled(machine.Id, m.Project.Id, releaseId),
                PendingDeploymentId = pending?.Id,
                Failure = pending is null && last is { Failure: { } failure } ? failure : null,
                // A block stands only while nothing has been deployed since: a deployment unblocks the machine.
                Blocked = pending is null && block is not null && block.DeploymentId == last?.DeploymentId ? block.Reason : null,
            };
        }).ToList();
        return Readiness.Judge(machine.Name, machine.Health, machine.IsEnabled, needs);
    }

    private sealed record LastDeployment(int DeploymentId, string? Failure);

    private sealed record Block(int? DeploymentId, string Reason);

    /// <summary>Per environment and release, the machine's latest finished deployment of it, and why it failed there if it did.</summary>
    private static async Task<Dictionary<(int, int), LastDeployment>> LatestDeploymentsAsync(AutoDeployDbContext db, int machineId,
        List<int> releaseIds, CancellationToken cancellationToken)
    {
        if (releaseIds.Count == 0)
        {
            return [];
        }
        var targets = await db.DeploymentTargets.AsNoTracking().Where(t => t.MachineId == machineId)
            .Join(db.Deployments, t => t.DeploymentId, d => d.Id, (t, d) => new
            {
                d.Id, d.EnvironmentId, d.ReleaseId, d.State, d.FailureReason, TargetState = t.State, t.Reason,
            })
            .Where(x => releaseIds.Contains(x.ReleaseId) && x.State != DeploymentState.Queued && x.State != DeploymentState.Executing)
            .ToListAsync(cancellationToken);
        return targets.GroupBy(t => (t.EnvironmentId, t.ReleaseId)).ToDictionary(g => g.Key, g =>
        {
            var last = g.MaxBy(t => t.Id)!;
            var failure = last.TargetState switch
            {
                TargetState.Failed => last.Reason ?? last.FailureReason ?? "it failed",
                TargetState.TimedOut => last.Reason ?? "it timed out",
                TargetState.Canceled => last.Reason ?? "it was canceled",
                _ => null,
            };
            return new LastDeployment(last.Id, failure is null ? null : $"{failure} (deployment #{last.Id})");
        });
    }

    /// <summary>Per environment and release, the engine's latest decision for the machine, if that was to block it.</summary>
    private static async Task<Dictionary<(int, int), Block>> BlocksAsync(AutoDeployDbContext db, int machineId, List<int> releaseIds,
        CancellationToken cancellationToken)
    {
        if (releaseIds.Count == 0)
        {
            return [];
        }
        var latestIds = await db.Events.AsNoTracking()
            .Where(e => e.MachineId == machineId && e.ReleaseId != null && releaseIds.Contains(e.ReleaseId.Value)
                && EventCategories.AutoDeployDecisions.Contains(e.Category))
            .GroupBy(e => new { e.EnvironmentId, e.ReleaseId }).Select(g => g.Max(e => e.Id)).ToListAsync(cancellationToken);
        var decisions = await db.Events.AsNoTracking().Where(e => latestIds.Contains(e.Id) && e.Category == EventCategories.AutoDeployBlocked)
            .Select(e => new { e.EnvironmentId, e.ReleaseId, e.DeploymentId, e.Message, e.DetailsJson }).ToListAsync(cancellationToken);
        return decisions.Where(d => d.EnvironmentId is not null && DecisionDetails.KindOf(d.DetailsJson) == nameof(DecisionKind.Blocked))
            .ToDictionary(d => (d.EnvironmentId!.Value, d.ReleaseId!.Value), d => new Block(d.DeploymentId, d.Message));
    }
}

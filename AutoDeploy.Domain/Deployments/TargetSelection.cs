using AutoDeploy.Domain.Machines;
using AutoDeploy.Domain.Projects;

namespace AutoDeploy.Domain.Deployments;

/// <summary>The machines a deployment runs on, those it skips and why, or why it cannot run at all.</summary>
public sealed record TargetPlan(IReadOnlyList<MachineCandidate> Targets, IReadOnlyList<SkippedMachine> Skipped, string? Error)
{
    public bool CanRun => Error is null;
}

public sealed record SkippedMachine(MachineCandidate Machine, string Reason);

public static class TargetSelection
{
    /// <summary>
    /// Chooses the machines of the environment (or the chosen ones) that have a role of some step,
    /// applying the project's connectivity settings to unhealthy and unavailable machines.
    /// </summary>
    public static TargetPlan Select(
        IReadOnlyList<DeploymentStep> steps, ConnectivitySettings settings,
        IReadOnlyList<MachineCandidate> machinesInEnvironment, IReadOnlyCollection<int>? chosenMachineIds = null)
    {
        if (steps.Count == 0)
        {
            return new TargetPlan([], [], "The release has no steps to run.");
        }
        var candidates = machinesInEnvironment.Where(m => m.IsEnabled).ToList();
        if (chosenMachineIds is { Count: > 0 })
        {
            var missing = chosenMachineIds.Where(id => candidates.All(m => m.Id != id)).ToList();
            if (missing.Count > 0)
            {
                return new TargetPlan([], [], $"Machines {string.Join(", ", missing.Select(id => $"#{id}"))} are not enabled machines of the environment.");
            }
            candidates = candidates.Where(m => chosenMachineIds.Contains(m.Id)).ToList();
        }
        var targets = new List<MachineCandidate>();
        var skipped = new List<SkippedMachine>();
        var unavailable = new List<string>();
        foreach (var machine in candidates.Where(m => steps.Any(s => s.AppliesTo(m.Roles))))
        {
            switch (machine.Health)
            {
                case MachineHealthStatus.Unhealthy when settings.ExcludeUnhealthyMachines:
                    skipped.Add(new SkippedMachine(machine, "unhealthy, and the project excludes unhealthy machines"));
                    break;
                case MachineHealthStatus.Unavailable when MaySkip(machine, settings):
                    skipped.Add(new SkippedMachine(machine, "unavailable, and the project skips unavailable machines"));
                    break;
                case MachineHealthStatus.Unavailable:
                    unavailable.Add(machine.Name);
                    break;
                default:
                    targets.Add(machine);
                    break;
            }
        }
        if (unavailable.Count > 0)
        {
            return new TargetPlan(targets, skipped,
                $"Unavailable machines cannot be skipped by this project's connectivity settings: {string.Join(", ", unavailable.Select(n => $"'{n}'"))}.");
        }
        if (targets.Count == 0 && !settings.AllowDeploymentsToNoTargets)
        {
            var roles = string.Join(", ", steps.SelectMany(s => s.Roles).Distinct().Order());
            return new TargetPlan(targets, skipped, $"No machine to deploy to: no enabled, deployable machine of the environment has any of the roles {roles}.");
        }
        return new TargetPlan(targets, skipped, null);
    }

    /// <summary>Whether the project's connectivity settings let a deployment go on without this machine when it is unavailable.</summary>
    public static bool MaySkip(MachineCandidate machine, ConnectivitySettings settings) =>
        settings.SkipUnavailableMachines
        && (settings.SkipUnavailableRoles.Count == 0 || machine.Roles.Any(settings.SkipUnavailableRoles.Contains));
}

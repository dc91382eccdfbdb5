using AutoDeploy.Domain.Machines;
using AutoDeploy.Domain.Triggers;

namespace AutoDeploy.Domain.Fleet;

/// <summary>Writes a row from a verdict of <see cref="Drift"/>: the why of the release, the reason of the state, the links.</summary>
internal static class DriftText
{
    public static DriftRow Explain(FleetSnapshot fleet, PlannerMachine machine, PlannerProject project, DriftVerdict verdict, int? onlyEnvironment)
    {
        var held = fleet.Held(machine.Id, project.Id);
        var environment = verdict.EnvironmentId is { } id ? fleet.EnvironmentName(id) : null;
        var source = verdict.Should is null || verdict.EnvironmentId is not { } environmentId ? (ReleaseSource?)null
            : fleet.IsOverridden(project.Id, environmentId) ? ReleaseSource.Override : ReleaseSource.LatestSuccessful;
        var decision = verdict.Decision;
        (string Reason, int? DeploymentId) text = verdict switch
        {
            { State: DriftState.NotCovered } => (WhyNotCovered(fleet, machine, project, verdict.Uncovered, onlyEnvironment), null),
            { State: DriftState.Current } => ($"'{machine.Name}' has {verdict.Should?.Version}.", null),
            { State: DriftState.Pending, Deployment: { } pending } =>
                ($"Deployment #{pending.Id} of {pending.ReleaseVersion} ({pending.State}) includes '{machine.Name}'.", pending.Id),
            { State: DriftState.Waiting, Retry: { } retry } => (decision?.Kind == nameof(DecisionKind.RetryScheduled) ? decision.Reason
                : $"The engine tries again at {retry.DueAt:HH:mm:ss} UTC (attempt {retry.Attempt}).", decision?.DeploymentId),
            { Decision: { } decided } => (decided.Reason, decided.DeploymentId),
            { State: DriftState.Blocked } => ($"No release of '{project.Name}' has been deployed to {environment} yet and no override is set.", null),
            _ => ($"'{machine.Name}' has {held?.Version ?? "no release"}, not {verdict.Should?.Version}, and no deployment is queued for it{Held(machine)}.",
                null),
        };
        return new DriftRow(machine.Id, machine.Name, project.Id, project.Name, verdict.State, text.Reason)
        {
            EnvironmentId = verdict.EnvironmentId, EnvironmentName = environment, TriggerId = verdict.Trigger?.Id, TriggerName = verdict.Trigger?.Name,
            ShouldHaveReleaseId = verdict.Should?.Id, ShouldHaveVersion = verdict.Should?.Version, Source = source,
            Why = source switch
            {
                ReleaseSource.Override => $"The auto-deploy override of {environment}; trigger '{verdict.Trigger?.Name}'.",
                ReleaseSource.LatestSuccessful => $"The latest successful deployment to {environment}; trigger '{verdict.Trigger?.Name}'.",
                _ => null,
            },
            HasReleaseId = held?.ReleaseId, HasVersion = held?.Version, HasDeploymentId = held?.DeploymentId,
            DeploymentId = text.DeploymentId, DecisionId = decision?.EventId,
        };
    }

    /// <summary>Why the engine would not deploy to the machine now, if it would not: said beside "behind".</summary>
    private static string Held(PlannerMachine machine) => machine switch
    {
        { IsEnabled: false } => "; it is disabled",
        { Health: MachineHealthStatus.Unhealthy or MachineHealthStatus.Unavailable } => $"; it is {machine.Health}",
        { Health: MachineHealthStatus.Unknown } => "; it has not had its first health check yet",
        _ => "",
    };

    private static string WhyNotCovered(FleetSnapshot fleet, PlannerMachine machine, PlannerProject project, Uncovered? why, int? onlyEnvironment)
    {
        var environments = onlyEnvironment is { } only ? [only] : machine.EnvironmentIds;
        return why switch
        {
            Uncovered.ProjectDisabled => $"'{project.Name}' is disabled.",
            Uncovered.NoEnabledTrigger => $"'{project.Name}' has no enabled trigger that deploys it.",
            Uncovered.NoStepForRoles => $"No step of '{project.Name}' runs on the roles of '{machine.Name}' ({Roles(machine)}).",
            _ => $"No enabled trigger of '{project.Name}' applies to '{machine.Name}' in {string.Join(", ", environments.Select(fleet.EnvironmentName))} " +
                 $"with roles {Roles(machine)}.",
        };
    }

    private static string Roles(PlannerMachine machine) => machine.Roles.Count == 0 ? "none" : string.Join(", ", machine.Roles);
}

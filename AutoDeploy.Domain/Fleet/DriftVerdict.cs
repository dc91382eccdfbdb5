using AutoDeploy.Domain.Triggers;

namespace AutoDeploy.Domain.Fleet;

/// <summary>Why a project's triggers do not cover a machine.</summary>
internal enum Uncovered
{
    ProjectDisabled,
    NoEnabledTrigger,
    NoTriggerApplies,
    NoStepForRoles,
}

/// <summary>
/// What <see cref="Drift"/> decided for a machine and a project, and what it rests on, without a word of text: the fleet
/// counts every row this way and explains only the rows it shows.
/// </summary>
internal readonly record struct DriftVerdict(
    DriftState State,
    Uncovered? Uncovered = null,
    int? EnvironmentId = null,
    PlannerTrigger? Trigger = null,
    (int Id, string Version)? Should = null,
    PlannerDeployment? Deployment = null,
    FleetDecision? Decision = null,
    FleetRetry? Retry = null);

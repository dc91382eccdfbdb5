using AutoDeploy.Domain.Deployments;

namespace AutoDeploy.Domain.Triggers;

/// <summary>
/// Leave hooks (docs/architecture.md §4): a trigger that runs its project on other machines when a machine leaves, once
/// per leave, e.g. "LB deregister" on the machines with role <c>lb</c> when a <c>web</c> machine becomes unavailable.
/// </summary>
internal static class LeaveHooks
{
    /// <summary>
    /// Decides the hook for the machine that left with <paramref name="events"/>, in each of its environments (or the one
    /// given, for a retry). The trigger's roles filter the leaving machine; its project's steps say where the hook runs.
    /// </summary>
    public static void Decide(PlanningContext context, PlannerMachine subject, PlannerTrigger trigger, IReadOnlyList<PlannerEvent> events,
        int? onlyEnvironment, int attempt)
    {
        if (events.Count == 0 || context.Project(trigger.ProjectId) is not { } project || (trigger.Roles.Count > 0 && !subject.Roles.Any(trigger.Roles.Contains)))
        {
            return;
        }
        var eventIds = events.Select(e => e.Id).ToList();
        foreach (var environmentId in subject.EnvironmentIds.Where(e => onlyEnvironment is null || e == onlyEnvironment))
        {
            context.Decide(AutoDeployPlanner.WhyNot(subject, trigger, project, environmentId, eventIds, attempt)
                ?? DecideIn(context, subject, trigger, project, environmentId, events, eventIds, attempt));
        }
    }

    private static AutoDeployDecision DecideIn(PlanningContext context, PlannerMachine subject, PlannerTrigger trigger, PlannerProject project,
        int environmentId, IReadOnlyList<PlannerEvent> events, IReadOnlyList<long> eventIds, int attempt)
    {
        AutoDeployDecision Decision(DecisionKind kind, string reason, (int Id, string Version)? release = null) =>
            new(kind, subject.Id, subject.Name, trigger.Id, trigger.Name, project.Id, environmentId, release?.Id, release?.Version, null,
                eventIds, reason, attempt);

        var cause = AutoDeployPlanner.Cause(trigger, eventIds);
        if (attempt == 1 && context.HookRan(subject.Id, trigger.Id) is { } ran)
        {
            return Decision(DecisionKind.LeaveHandled, ran == 0
                ? $"The hook already runs for this leave of '{subject.Name}' in this pass; {cause}."
                : $"The hook already ran for this leave of '{subject.Name}' (decision #{ran}); {cause}.");
        }
        var release = context.ReleaseFor(project.Id, environmentId)
            ?? (context.NewestRelease(project.Id) is { } newest ? (newest.ReleaseId, newest.Version) : null);
        if (release is null)
        {
            return Decision(DecisionKind.NoRelease, $"'{project.Name}' has no release to run; {cause}.");
        }
        var leftWith = events.FirstOrDefault(e => trigger.Categories.Contains(e.Category)) ?? events[0];
        context.PlanHook(new PlannedDeployment(project.Id, environmentId, release.Value.Id, trigger.Id, [], eventIds)
        {
            Leaving = new LeavingMachine(subject.Id, subject.Name, subject.Roles, leftWith.Category, leftWith.Id),
        });
        return Decision(DecisionKind.Queued,
            $"{project.Name} {release.Value.Version} queued to run on other machines: '{subject.Name}' left ({leftWith.Category} #{leftWith.Id})"
            + $"{(attempt > 1 ? $" (attempt {attempt} of {context.Retry.MaxAttempts})" : "")}; {cause}.", release);
    }
}

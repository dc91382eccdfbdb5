using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Domain.Triggers;

namespace AutoDeploy.Tests.Triggers;

/// <summary>Leave hooks: a trigger that runs its project on other machines when a machine leaves, once per leave.</summary>
public sealed class LeaveHookPlannerTests
{
    private readonly PlannerScenario _scenario = new PlannerScenario().Deployed(1, 7, "1.4.2").Hook();

    [Fact]
    public void A_web_machine_that_becomes_unavailable_runs_the_hook_once_with_what_it_left_with()
    {
        _scenario.Machine(1, health: MachineHealthStatus.Unavailable);
        _scenario.Raise(1, EventCategories.MachineHealthy);
        var unhealthy = _scenario.Raise(1, EventCategories.MachineUnhealthy);
        var unavailable = _scenario.Raise(1, EventCategories.MachineUnavailable);

        var plan = _scenario.Plan();

        var hook = Assert.Single(plan.Deployments);
        Assert.Equal((PlannerScenario.LoadBalancer, PlannerScenario.Production, 70, 20), (hook.ProjectId, hook.EnvironmentId, hook.ReleaseId, hook.TriggerId));
        Assert.Empty(hook.MachineIds);
        Assert.Equal((1, "machine-1", "web", EventCategories.MachineUnhealthy, (long)unhealthy), Describe(hook.Leaving));
        Assert.Equal([unhealthy, unavailable], hook.EventIds);
        var decision = Assert.Single(plan.Decisions);
        Assert.Equal((DecisionKind.Queued, 1, 20), (decision.Kind, decision.MachineId, decision.TriggerId));
        Assert.Equal($"LB 2.0.0 queued to run on other machines: 'machine-1' left (MachineUnhealthy #{unhealthy}); "
            + $"#{unhealthy}, #{unavailable} matched trigger 'LB deregister'.", decision.Reason);
    }

    private static (int, string, string, string, long) Describe(LeavingMachine? leaving) =>
        (leaving!.MachineId, leaving.Name, string.Join(",", leaving.Roles), leaving.EventCategory, leaving.EventId);

    [Fact]
    public void The_release_that_belongs_in_the_environment_wins_over_the_newest()
    {
        _scenario.Deployments.Add(new PlannerDeployment(2, PlannerScenario.LoadBalancer, PlannerScenario.Production, 69, "1.9.0",
            DeploymentState.Success, [], []));
        _scenario.Machine(1, enabled: false);
        _scenario.Raise(1, EventCategories.MachineDisabled);

        Assert.Equal(69, Assert.Single(_scenario.Plan().Deployments).ReleaseId);
    }

    [Fact]
    public void A_machine_deleted_is_described_by_its_MachineDeleted_event()
    {
        _scenario.Departed.Add(new PlannerMachine(5, "web-gone", [PlannerScenario.Production], ["web"], false, MachineHealthStatus.Unavailable));
        var deleted = _scenario.Raise(5, EventCategories.MachineDeleted);

        var hook = Assert.Single(_scenario.Plan().Deployments);

        Assert.Equal((5, "web-gone", "web", EventCategories.MachineDeleted, (long)deleted), Describe(hook.Leaving));
    }

    [Fact]
    public void A_leave_the_hook_already_ran_for_is_not_run_again()
    {
        _scenario.Departed.Add(new PlannerMachine(5, "web-gone", [PlannerScenario.Production], ["web"], false, MachineHealthStatus.Unavailable));
        _scenario.HookRuns.Add(new LeaveHookRun(5, 20, 990));
        _scenario.Raise(5, EventCategories.MachineDeleted);

        var plan = _scenario.Plan();

        Assert.Empty(plan.Deployments);
        var decision = Assert.Single(plan.Decisions);
        Assert.Equal(DecisionKind.LeaveHandled, decision.Kind);
        Assert.StartsWith("The hook already ran for this leave of 'web-gone' (decision #990)", decision.Reason);
        Assert.Equal(EventCategories.AutoDeployNoAction, decision.Category);
    }

    [Fact]
    public void A_machine_that_left_and_came_back_in_one_window_runs_no_hook()
    {
        _scenario.Machine(1);
        _scenario.Raise(1, EventCategories.MachineUnavailable);
        _scenario.Raise(1, EventCategories.MachineHealthy);

        var plan = _scenario.Plan();

        Assert.DoesNotContain(plan.Deployments, d => d.Leaving is not null);
        Assert.DoesNotContain(plan.Decisions, d => d.TriggerId == 20);
    }

    [Fact]
    public void Machines_outside_the_hooks_roles_leave_without_it_and_it_never_deploys_to_the_machine()
    {
        _scenario.Machine(1, role: "db", health: MachineHealthStatus.Unavailable);
        _scenario.Machine(2);
        _scenario.Raise(1, EventCategories.MachineUnavailable);
        _scenario.Raise(2, EventCategories.MachineHealthy);

        var plan = _scenario.Plan();

        Assert.DoesNotContain(plan.Deployments, d => d.Leaving is not null);
        Assert.DoesNotContain(plan.Decisions, d => d.TriggerId == 20);
    }

    [Fact]
    public void A_hook_project_without_a_release_is_blocked_and_says_so()
    {
        _scenario.NewestReleases.Clear();
        _scenario.Machine(1, enabled: false);
        _scenario.Raise(1, EventCategories.MachineDisabled);

        var decision = Assert.Single(_scenario.Plan().Decisions);

        Assert.Equal((DecisionKind.NoRelease, EventCategories.AutoDeployBlocked), (decision.Kind, decision.Category));
    }

    [Fact]
    public void A_failed_hook_is_retried_for_the_machine_that_left_even_after_it_left_further()
    {
        _scenario.Departed.Add(new PlannerMachine(5, "web-gone", [PlannerScenario.Production], ["web"], false, MachineHealthStatus.Unavailable));
        _scenario.DeploymentEnded(60, EventCategories.DeploymentFailed);
        _scenario.Failed.Add(new FailedAttempt(60, 5, 20, PlannerScenario.Production, 70, "2.0.0", 1, [900]));
        _scenario.Raise(5, EventCategories.MachineDeleted);
        _scenario.HookRuns.Add(new LeaveHookRun(5, 20, 950));

        var plan = _scenario.Plan();

        var retry = Assert.Single(plan.Retries);
        Assert.Equal((5, 20, 2), (retry.MachineId, retry.TriggerId, retry.Attempt));
        Assert.Contains(plan.Decisions, d => d.Kind == DecisionKind.RetryScheduled
            && d.Reason.StartsWith("the leave hook for 'web-gone' (LB 2.0.0) failed in deployment #60 (attempt 1 of 3)"));
        Assert.Empty(plan.Returned);
    }

    [Fact]
    public void A_due_hook_retry_runs_again_with_the_event_it_left_with()
    {
        _scenario.Departed.Add(new PlannerMachine(5, "web-gone", [PlannerScenario.Production], ["web"], false, MachineHealthStatus.Unavailable));
        _scenario.HookRuns.Add(new LeaveHookRun(5, 20, 950));
        _scenario.RetryEvents.Add(new PlannerEvent(900, EventCategories.MachineUnavailable, 5));
        _scenario.DueRetries.Add(new DueRetry(1, 5, 20, PlannerScenario.Production, 2, [900]));

        var plan = _scenario.Plan();

        var hook = Assert.Single(plan.Deployments);
        Assert.Equal((5, "web-gone", "web", EventCategories.MachineUnavailable, (long)900), Describe(hook.Leaving));
        Assert.Equal((DecisionKind.Queued, 2), (plan.Decisions[0].Kind, plan.Decisions[0].Attempt));
    }

    [Fact]
    public void A_machine_that_comes_back_drops_its_hook_retries()
    {
        _scenario.Machine(5);
        _scenario.RetryEvents.Add(new PlannerEvent(900, EventCategories.MachineUnavailable, 5));
        _scenario.DueRetries.Add(new DueRetry(1, 5, 20, PlannerScenario.Production, 2, [900]));
        _scenario.Raise(5, EventCategories.MachineHealthy);

        var plan = _scenario.Plan();

        Assert.DoesNotContain(plan.Deployments, d => d.Leaving is not null);
        Assert.Equal([5], plan.Returned);
    }

    [Fact]
    public void A_deploying_trigger_still_deploys_to_a_machine_that_arrives()
    {
        _scenario.Machine(1);
        _scenario.Raise(1, EventCategories.MachineHealthy);

        var plan = _scenario.Plan();

        var deployment = Assert.Single(plan.Deployments);
        Assert.Null(deployment.Leaving);
        Assert.Equal([1], deployment.MachineIds);
    }
}

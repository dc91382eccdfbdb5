using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Domain.Triggers;

namespace AutoDeploy.Tests.Triggers;

/// <summary>The planner's rules, and the failures Octopus users reported, as deterministic scenarios.</summary>
public sealed class AutoDeployPlannerTests
{
    private readonly PlannerScenario _scenario = new PlannerScenario().Deployed(1, 7, "1.4.2");

    [Fact]
    public void A_machine_that_becomes_healthy_gets_the_latest_successful_release_of_its_environment()
    {
        _scenario.Machine(1);
        var healthy = _scenario.Raise(1, EventCategories.MachineHealthy);

        var plan = _scenario.Plan();

        var deployment = Assert.Single(plan.Deployments);
        Assert.Equal((PlannerScenario.Shop, PlannerScenario.Production, 7, 10), (deployment.ProjectId, deployment.EnvironmentId, deployment.ReleaseId, deployment.TriggerId));
        Assert.Equal([1], deployment.MachineIds);
        var decision = Assert.Single(plan.Decisions);
        Assert.Equal(DecisionKind.Queued, decision.Kind);
        Assert.Equal($"1.4.2 queued: #{healthy} matched trigger 'Trigger 10'.", decision.Reason);
        Assert.Equal(healthy, plan.NewCursor);
    }

    [Fact]
    public void Octopus_2591_machines_that_raised_no_event_are_left_alone()
    {
        _scenario.Machine(1).Machine(2);
        _scenario.Raise(1, EventCategories.MachineHealthy);

        var plan = _scenario.Plan();

        Assert.Equal([1], Assert.Single(plan.Deployments).MachineIds);
    }

    [Fact]
    public void Octopus_2901_a_machine_added_changed_and_checked_in_one_window_gets_one_deployment()
    {
        _scenario.Machine(1);
        _scenario.Raise(1, EventCategories.MachineAdded);
        _scenario.Raise(1, EventCategories.MachineDeploymentRelatedPropertyWasUpdated);
        _scenario.Raise(1, EventCategories.MachineHealthy);
        _scenario.Raise(1, EventCategories.MachineHealthy);

        var plan = _scenario.Plan();

        Assert.Equal([1], Assert.Single(plan.Deployments).MachineIds);
        Assert.Single(plan.Decisions);
    }

    [Fact]
    public void A_machine_added_and_deleted_in_one_window_needs_nothing()
    {
        _scenario.Raise(1, EventCategories.MachineAdded);
        _scenario.Raise(1, EventCategories.MachineHealthy);
        _scenario.Raise(1, EventCategories.MachineDeleted);

        var plan = _scenario.Plan();

        Assert.Empty(plan.Deployments);
        Assert.Empty(plan.Decisions);
    }

    [Fact]
    public void A_machine_whose_last_event_in_the_window_is_negative_is_not_deployed_to()
    {
        _scenario.Machine(1, health: MachineHealthStatus.Unavailable);
        _scenario.Raise(1, EventCategories.MachineHealthy);
        _scenario.Raise(1, EventCategories.MachineUnavailable);

        Assert.Empty(_scenario.Plan().Deployments);
    }

    [Fact]
    public void Octopus_3013_5372_8456_a_machine_arriving_during_a_deployment_waits_and_gets_the_newer_release_when_it_ends()
    {
        _scenario.Machine(1).Machine(2);
        _scenario.Deployments.Add(new PlannerDeployment(2, PlannerScenario.Shop, PlannerScenario.Production, 8, "1.5.0", DeploymentState.Executing,
            [], [new PlannerTarget(1, TargetState.Running)]));
        var healthy = _scenario.Raise(2, EventCategories.MachineHealthy);

        var during = _scenario.Plan();
        var waiting = Assert.Single(during.Decisions);
        _scenario.Events.Clear();
        _scenario.Deployments[^1] = _scenario.Deployments[^1] with { State = DeploymentState.Success };
        _scenario.Waiting.Add(new WaitingMachine(2, waiting.TriggerId, waiting.EnvironmentId, waiting.DeploymentId!.Value, waiting.EventIds));
        _scenario.DeploymentEnded(2);
        var after = _scenario.Plan(during.NewCursor);

        Assert.Empty(during.Deployments);
        Assert.Equal(DecisionKind.WaitingForDeployment, waiting.Kind);
        Assert.Equal(2, waiting.DeploymentId);
        var followOn = Assert.Single(after.Deployments);
        Assert.Equal(8, followOn.ReleaseId);
        Assert.Equal([2], followOn.MachineIds);
        Assert.Equal([healthy], followOn.EventIds);
    }

    [Fact]
    public void Octopus_3304_a_finished_auto_deployment_does_not_trigger_another()
    {
        _scenario.Machine(1);
        _scenario.Installed.Add(new InstalledRelease(1, PlannerScenario.Shop, 7));
        _scenario.DeploymentEnded(1);

        var plan = _scenario.Plan();

        Assert.Empty(plan.Deployments);
        Assert.Empty(plan.Decisions);
    }

    [Fact]
    public void Octopus_3358_a_machine_whose_auto_deployment_failed_is_tried_again_on_its_next_event()
    {
        _scenario.Machine(1);
        _scenario.Deployed(2, 7, "1.4.2", DeploymentState.Failed, new PlannerTarget(1, TargetState.Failed));
        _scenario.Raise(1, EventCategories.MachineHealthy);

        Assert.Equal([1], Assert.Single(_scenario.Plan().Deployments).MachineIds);
    }

    [Fact]
    public void Octopus_3420_a_machine_skipped_by_a_deployment_does_not_count_as_having_the_release()
    {
        _scenario.Machine(1);
        _scenario.Deployed(2, 7, "1.4.2", DeploymentState.Success, new PlannerTarget(1, TargetState.Skipped));
        _scenario.Raise(1, EventCategories.MachineHealthy);

        Assert.Single(_scenario.Plan().Deployments);
    }

    [Fact]
    public void Octopus_3467_a_machine_whose_roles_match_no_step_is_explained_and_not_deployed_to()
    {
        _scenario.Machine(1, role: "db");
        _scenario.Raise(1, EventCategories.MachineHealthy);

        var plan = _scenario.Plan();

        Assert.Empty(plan.Deployments);
        Assert.Equal(DecisionKind.NoMatchingStep, Assert.Single(plan.Decisions).Kind);
    }

    [Fact]
    public void Octopus_5482_several_triggers_on_one_project_queue_one_deployment_and_a_failing_one_never_stops_the_others()
    {
        _scenario.Machine(1);
        _scenario.Triggers.Add(PlannerScenario.Trigger(11, PlannerScenario.Shop));
        _scenario.Projects.Add(new PlannerProject(2, "Blog", true, [["web"]]));
        _scenario.Triggers.Insert(0, PlannerScenario.Trigger(5, 2));
        _scenario.Raise(1, EventCategories.MachineHealthy);

        var plan = _scenario.Plan();

        Assert.Equal(PlannerScenario.Shop, Assert.Single(plan.Deployments).ProjectId);
        Assert.Equal([DecisionKind.NoRelease, DecisionKind.Queued, DecisionKind.AlreadyPending], plan.Decisions.Select(d => d.Kind));
    }

    [Fact]
    public void Machines_are_batched_into_one_deployment_per_project_environment_and_release()
    {
        _scenario.Machine(1).Machine(2).Machine(3);
        _scenario.Raise(3, EventCategories.MachineHealthy);
        _scenario.Raise(1, EventCategories.MachineEnabled);
        _scenario.Raise(2, EventCategories.MachineHasWarnings);

        var deployment = Assert.Single(_scenario.Plan().Deployments);

        Assert.Equal([1, 2, 3], deployment.MachineIds.Order());
        Assert.Equal(3, deployment.EventIds.Count);
    }

    [Fact]
    public void An_override_wins_over_the_latest_successful_release()
    {
        _scenario.Machine(1);
        _scenario.Overrides.Add(new PlannerOverride(PlannerScenario.Shop, PlannerScenario.Production, 6, "1.4.0"));
        _scenario.Raise(1, EventCategories.MachineHealthy);

        Assert.Equal(6, Assert.Single(_scenario.Plan().Deployments).ReleaseId);
    }

    [Fact]
    public void A_machine_that_has_the_release_is_skipped_unless_the_trigger_redeploys()
    {
        _scenario.Machine(1);
        _scenario.Installed.Add(new InstalledRelease(1, PlannerScenario.Shop, 7));
        _scenario.Raise(1, EventCategories.MachineHealthy);

        var skipped = _scenario.Plan();
        _scenario.Triggers[0] = PlannerScenario.Trigger(10, PlannerScenario.Shop, redeploy: true);
        var redeployed = _scenario.Plan();

        Assert.Equal(DecisionKind.AlreadyInstalled, Assert.Single(skipped.Decisions).Kind);
        Assert.Empty(skipped.Deployments);
        Assert.Single(redeployed.Deployments);
    }

    [Fact]
    public void A_redeploying_trigger_does_not_redeploy_a_release_that_arrived_after_the_event_however_late_it_is_read()
    {
        _scenario.Machine(1);
        _scenario.Triggers[0] = PlannerScenario.Trigger(10, PlannerScenario.Shop, redeploy: true);
        var healthy = _scenario.Raise(1, EventCategories.MachineHealthy);
        _scenario.Installed.Add(new InstalledRelease(1, PlannerScenario.Shop, 7, EndedEventId: healthy + 1));
        var arrivedAfter = _scenario.Plan();
        _scenario.Installed[0] = _scenario.Installed[0] with { EndedEventId = healthy - 1 };

        var arrivedBefore = _scenario.Plan();

        Assert.Equal(DecisionKind.AlreadyInstalled, Assert.Single(arrivedAfter.Decisions).Kind);
        Assert.Single(arrivedBefore.Deployments);
    }

    [Fact]
    public void A_machine_already_in_a_queued_deployment_of_the_release_is_not_queued_twice()
    {
        _scenario.Machine(1);
        _scenario.Deployed(2, 7, "1.4.2", DeploymentState.Queued);
        _scenario.Raise(1, EventCategories.MachineHealthy);

        var plan = _scenario.Plan();

        Assert.Empty(plan.Deployments);
        Assert.Equal((DecisionKind.AlreadyPending, 2), (plan.Decisions[0].Kind, plan.Decisions[0].DeploymentId));
    }

    [Fact]
    public void Disabled_triggers_and_disabled_projects_deploy_nothing_and_say_so()
    {
        _scenario.Machine(1);
        _scenario.Triggers[0] = _scenario.Triggers[0] with { IsEnabled = false };
        var healthy = _scenario.Raise(1, EventCategories.MachineHealthy);
        var disabledTrigger = _scenario.Plan();
        _scenario.Triggers[0] = _scenario.Triggers[0] with { IsEnabled = true };
        _scenario.Projects[0] = _scenario.Projects[0] with { IsEnabled = false };

        var disabledProject = _scenario.Plan();

        Assert.Empty(disabledTrigger.Deployments);
        Assert.Empty(disabledProject.Deployments);
        var trigger = Assert.Single(disabledTrigger.Decisions);
        Assert.Equal((DecisionKind.NotApplicable, PlannerScenario.Production), (trigger.Kind, trigger.EnvironmentId));
        Assert.Equal($"Not deployed: trigger 'Trigger 10' is disabled; #{healthy} matched trigger 'Trigger 10'.", trigger.Reason);
        var project = Assert.Single(disabledProject.Decisions);
        Assert.Equal((DecisionKind.NotApplicable, $"Not deployed: project 'Shop' is disabled; #{healthy} matched trigger 'Trigger 10'."),
            (project.Kind, project.Reason));
    }

    [Fact]
    public void A_trigger_filtered_to_other_roles_or_environments_deploys_nothing_and_says_why()
    {
        _scenario.Machine(1);
        _scenario.Triggers[0] = PlannerScenario.Trigger(10, PlannerScenario.Shop, false, "worker", "db");
        _scenario.Triggers.Add(PlannerScenario.Trigger(11, PlannerScenario.Shop) with { EnvironmentIds = [999] });
        var healthy = _scenario.Raise(1, EventCategories.MachineHealthy);

        var plan = _scenario.Plan();

        Assert.Empty(plan.Deployments);
        Assert.Equal(
        [
            (DecisionKind.NotApplicable, 10, $"Not deployed: 'machine-1' has role web; the trigger names roles worker, db; #{healthy} matched trigger 'Trigger 10'."),
            (DecisionKind.NotApplicable, 11, $"Not deployed: the trigger does not name this environment of 'machine-1'; #{healthy} matched trigger 'Trigger 11'."),
        ], plan.Decisions.Select(d => (d.Kind, d.TriggerId, d.Reason)));
    }

    [Theory]
    [InlineData(MachineHealthStatus.Unhealthy, true, "'machine-1' is unhealthy")]
    [InlineData(MachineHealthStatus.Unavailable, true, "'machine-1' is unavailable")]
    [InlineData(MachineHealthStatus.Healthy, false, "'machine-1' is disabled")]
    public void A_machine_that_cannot_take_a_deployment_gets_none_and_the_reason(MachineHealthStatus health, bool enabled, string why)
    {
        _scenario.Machine(1, health: health, enabled: enabled);
        var changed = _scenario.Raise(1, EventCategories.MachineDeploymentRelatedPropertyWasUpdated);
        _scenario.Triggers[0] = _scenario.Triggers[0] with
        {
            Categories = new HashSet<string> { EventCategories.MachineDeploymentRelatedPropertyWasUpdated },
        };

        var plan = _scenario.Plan();

        Assert.Empty(plan.Deployments);
        var decision = Assert.Single(plan.Decisions);
        Assert.Equal((DecisionKind.NotDeployable, $"Not deployed: {why}; #{changed} matched trigger 'Trigger 10'."), (decision.Kind, decision.Reason));
    }

    [Fact]
    public void A_deploying_trigger_on_leave_events_says_the_machine_that_left_is_not_deployed_to()
    {
        _scenario.Machine(1, health: MachineHealthStatus.Unavailable);
        _scenario.Triggers[0] = _scenario.Triggers[0] with { Categories = EventGroups.Expand([EventGroups.MachineUnavailableForDeployment], []) };
        _scenario.Raise(1, EventCategories.MachineHealthy);
        var unhealthy = _scenario.Raise(1, EventCategories.MachineUnhealthy);
        var unavailable = _scenario.Raise(1, EventCategories.MachineUnavailable);

        var plan = _scenario.Plan();

        Assert.Empty(plan.Deployments);
        var decision = Assert.Single(plan.Decisions);
        Assert.Equal(DecisionKind.NotDeployable, decision.Kind);
        Assert.Equal([unhealthy, unavailable], decision.EventIds);
    }

    [Fact]
    public void A_trigger_of_a_project_with_nothing_for_the_machines_roles_records_nothing()
    {
        _scenario.Machine(1, role: "db");
        _scenario.Triggers[0] = PlannerScenario.Trigger(10, PlannerScenario.Shop, false, "web");
        _scenario.Triggers.Add(PlannerScenario.Trigger(11, PlannerScenario.Shop, false, "db"));
        _scenario.Raise(1, EventCategories.MachineHealthy);

        var plan = _scenario.Plan();

        Assert.Equal((DecisionKind.NoMatchingStep, 11), (Assert.Single(plan.Decisions).Kind, plan.Decisions[0].TriggerId));
    }

    [Fact]
    public void A_trigger_that_names_none_of_the_machines_events_records_nothing()
    {
        _scenario.Machine(1);
        _scenario.Triggers[0] = PlannerScenario.Trigger(10, PlannerScenario.Shop, false, "worker");
        _scenario.Raise(1, EventCategories.MachineAdded);

        Assert.Empty(_scenario.Plan().Decisions);
    }

    [Fact]
    public void A_window_without_events_keeps_the_cursor()
    {
        Assert.Equal(42, _scenario.Plan(cursor: 42).NewCursor);
    }
}

using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Domain.Triggers;

namespace AutoDeploy.Tests.Triggers;

/// <summary>Bounded retries with back-off, then blocked (docs/architecture.md §4): never a loop, never stuck for good.</summary>
public sealed class AutoDeployRetryPlannerTests
{
    private readonly PlannerScenario _scenario = new PlannerScenario().Machine(2).Deployed(50, 7, "1.0.0");

    [Fact]
    public void A_first_failure_schedules_the_second_attempt_after_the_first_back_off()
    {
        var plan = _scenario.FailedAttempt(60, machineId: 2, attempt: 1).Plan();

        var decision = Assert.Single(plan.Decisions);
        Assert.Equal((DecisionKind.RetryScheduled, 60), (decision.Kind, decision.DeploymentId));
        Assert.Contains("1.0.0 failed on 'machine-2' in deployment #60 (attempt 1 of 3); attempt 2 at 12:00:30 UTC", decision.Reason);
        var retry = Assert.Single(plan.Retries);
        Assert.Equal(new PlannedRetry(2, 10, PlannerScenario.Production, 7, 2, PlannerScenario.Now.AddSeconds(30), retry.EventIds), retry);
        Assert.Equal([1], retry.EventIds);
        Assert.Empty(plan.Deployments);
    }

    [Fact]
    public void Each_next_retry_waits_twice_as_long()
    {
        var plan = _scenario.FailedAttempt(61, machineId: 2, attempt: 2).Plan();

        Assert.Equal((3, PlannerScenario.Now.AddSeconds(60)), (Assert.Single(plan.Retries).Attempt, plan.Retries[0].DueAt));
    }

    [Fact]
    public void The_last_allowed_failure_blocks_the_machine_without_a_retry()
    {
        var plan = _scenario.FailedAttempt(62, machineId: 2, attempt: 3).Plan();

        var decision = Assert.Single(plan.Decisions);
        Assert.Equal(DecisionKind.Blocked, decision.Kind);
        Assert.StartsWith("Blocked after 3 failures: 1.0.0 failed on 'machine-2' in deployment #62.", decision.Reason);
        Assert.Empty(plan.Retries);
        Assert.Empty(plan.Deployments);
    }

    [Fact]
    public void A_due_retry_queues_the_release_again_as_its_attempt()
    {
        _scenario.DueRetries.Add(new DueRetry(1, 2, 10, PlannerScenario.Production, 2, [1]));

        var plan = _scenario.Plan();

        Assert.Equal([2], Assert.Single(plan.Deployments).MachineIds);
        var decision = Assert.Single(plan.Decisions);
        Assert.Equal((DecisionKind.Queued, 2), (decision.Kind, decision.Attempt));
        Assert.StartsWith("1.0.0 queued (attempt 2 of 3): #1 matched trigger 'Trigger 10'", decision.Reason);
    }

    [Fact]
    public void A_due_retry_for_a_machine_that_is_now_unavailable_deploys_nothing_and_says_why()
    {
        var scenario = new PlannerScenario().Machine(2, health: MachineHealthStatus.Unavailable).Deployed(50, 7, "1.0.0");
        scenario.DueRetries.Add(new DueRetry(1, 2, 10, PlannerScenario.Production, 2, [1]));

        var plan = scenario.Plan();

        Assert.Empty(plan.Deployments);
        Assert.Empty(plan.Retries);
        var decision = Assert.Single(plan.Decisions);
        Assert.Equal((DecisionKind.NotDeployable, 2), (decision.Kind, decision.Attempt));
    }

    [Fact]
    public void A_due_retry_for_a_machine_that_got_the_release_meanwhile_is_explained_as_installed()
    {
        _scenario.Installed.Add(new InstalledRelease(2, PlannerScenario.Shop, 7));
        _scenario.DueRetries.Add(new DueRetry(1, 2, 10, PlannerScenario.Production, 2, [1]));

        var plan = _scenario.Plan();

        Assert.Empty(plan.Deployments);
        Assert.Equal(DecisionKind.AlreadyInstalled, Assert.Single(plan.Decisions).Kind);
    }

    [Fact]
    public void A_machine_with_new_events_starts_afresh_instead_of_retrying()
    {
        _scenario.FailedAttempt(62, machineId: 2, attempt: 3);
        _scenario.DueRetries.Add(new DueRetry(1, 2, 10, PlannerScenario.Production, 3, [1]));
        _scenario.Raise(2, EventCategories.MachineHealthy);

        var plan = _scenario.Plan();

        var decision = Assert.Single(plan.Decisions);
        Assert.Equal((DecisionKind.Queued, 1), (decision.Kind, decision.Attempt));
        Assert.Equal([2], plan.Superseded);
        Assert.Empty(plan.Retries);
    }

    [Fact]
    public void A_failure_on_a_deleted_machine_is_not_retried()
    {
        var plan = new PlannerScenario().Deployed(50, 7, "1.0.0").FailedAttempt(60, machineId: 2, attempt: 1).Plan();

        Assert.Empty(plan.Retries);
        Assert.Empty(plan.Decisions);
    }

    [Fact]
    public void Retries_are_never_a_loop_a_failing_machine_is_queued_at_most_the_allowed_number_of_times()
    {
        var queued = 0;
        DueRetry? due = null;
        for (var pass = 0; pass < 10; pass++)
        {
            var scenario = new PlannerScenario().Machine(2).Deployed(50, 7, "1.0.0");
            if (pass == 0)
            {
                scenario.Raise(2, EventCategories.MachineHealthy);
            }
            else if (due is not null)
            {
                scenario.DueRetries.Add(due);
            }
            var plan = scenario.Plan();
            if (plan.Deployments.Count == 0)
            {
                break;
            }
            queued++;
            var attempt = plan.Decisions.Single().Attempt;
            var failure = new PlannerScenario().Machine(2).Deployed(50, 7, "1.0.0").FailedAttempt(100 + pass, 2, attempt).Plan();
            due = failure.Retries.SingleOrDefault() is { } retry ? new DueRetry(pass, 2, 10, PlannerScenario.Production, retry.Attempt, [1]) : null;
        }

        Assert.Equal(RetryPolicy.Default.MaxAttempts, queued);
    }
}

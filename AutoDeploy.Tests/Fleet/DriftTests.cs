using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Fleet;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Domain.Triggers;

namespace AutoDeploy.Tests.Fleet;

public sealed class DriftTests
{
    private readonly DriftScenario _fleet = new();

    [Fact]
    public void A_machine_with_the_release_of_the_latest_successful_deployment_is_current_and_says_why()
    {
        _fleet.Deployment(5, 7, "1.0.0").Has(1, 7, "1.0.0", 5);

        var row = _fleet.Judge(DriftScenario.Machine());

        Assert.Equal((DriftState.Current, "'machine-1' has 1.0.0."), (row.State, row.Reason));
        Assert.Equal((7, "1.0.0", ReleaseSource.LatestSuccessful), (row.ShouldHaveReleaseId, row.ShouldHaveVersion, row.Source));
        Assert.Equal("The latest successful deployment to Production; trigger 'Trigger 10'.", row.Why);
        Assert.Equal((DriftScenario.Production, "Production", 10, "Trigger 10"), (row.EnvironmentId, row.EnvironmentName, row.TriggerId, row.TriggerName));
        Assert.Equal((7, "1.0.0", 5), (row.HasReleaseId, row.HasVersion, row.HasDeploymentId));
    }

    [Fact]
    public void An_override_is_what_it_should_have_even_when_it_has_a_newer_release()
    {
        _fleet.Deployment(5, 7, "1.0.0").Has(1, 7, "1.0.0", 5);
        _fleet.Overrides.Add(new PlannerOverride(DriftScenario.Shop, DriftScenario.Production, 6, "0.9.0"));

        var row = _fleet.Judge(DriftScenario.Machine());

        Assert.Equal((DriftState.Behind, "'machine-1' has 1.0.0, not 0.9.0, and no deployment is queued for it."), (row.State, row.Reason));
        Assert.Equal((6, ReleaseSource.Override), (row.ShouldHaveReleaseId, row.Source));
        Assert.Equal("The auto-deploy override of Production; trigger 'Trigger 10'.", row.Why);
    }

    [Fact]
    public void A_machine_with_an_older_release_and_nothing_queued_is_behind()
    {
        _fleet.Deployment(4, 6, "0.9.0").Deployment(5, 7, "1.0.0", chosen: [2]).Has(1, 6, "0.9.0", 4);

        var row = _fleet.Judge(DriftScenario.Machine());

        Assert.Equal((DriftState.Behind, "'machine-1' has 0.9.0, not 1.0.0, and no deployment is queued for it."), (row.State, row.Reason));
        Assert.Null(row.DeploymentId);
    }

    [Fact]
    public void A_machine_with_no_release_at_all_is_behind()
    {
        _fleet.Deployment(5, 7, "1.0.0");

        var row = _fleet.Judge(DriftScenario.Machine());

        Assert.Equal((DriftState.Behind, "'machine-1' has no release, not 1.0.0, and no deployment is queued for it."), (row.State, row.Reason));
        Assert.Null(row.HasVersion);
    }

    [Theory]
    [InlineData(false, MachineHealthStatus.Healthy, "; it is disabled.")]
    [InlineData(true, MachineHealthStatus.Unavailable, "; it is Unavailable.")]
    [InlineData(true, MachineHealthStatus.Unhealthy, "; it is Unhealthy.")]
    [InlineData(true, MachineHealthStatus.Unknown, "; it has not had its first health check yet.")]
    [InlineData(true, MachineHealthStatus.HasWarnings, "for it.")]
    public void Behind_says_why_the_engine_would_not_deploy_to_the_machine_now(bool enabled, MachineHealthStatus health, string ending)
    {
        _fleet.Deployment(5, 7, "1.0.0");

        var row = _fleet.Judge(DriftScenario.Machine(enabled: enabled, health: health));

        Assert.Equal(DriftState.Behind, row.State);
        Assert.EndsWith(ending, row.Reason);
    }

    [Fact]
    public void A_queued_deployment_of_a_newer_release_to_the_whole_environment_makes_it_pending()
    {
        _fleet.Deployment(5, 7, "1.0.0").Deployment(9, 8, "2.0.0", DeploymentState.Queued);

        var row = _fleet.Judge(DriftScenario.Machine());

        Assert.Equal((DriftState.Pending, "Deployment #9 of 2.0.0 (Queued) includes 'machine-1'."), (row.State, row.Reason));
        Assert.Equal((9, "1.0.0"), (row.DeploymentId, row.ShouldHaveVersion));
    }

    [Fact]
    public void A_running_deployment_includes_its_open_targets_and_those_it_already_gave_the_release_to()
    {
        _fleet.Deployment(5, 7, "1.0.0")
            .Deployment(9, 8, "2.0.0", DeploymentState.Executing, targets: [new(1, TargetState.Running), new(2, TargetState.Success), new(3, TargetState.Failed)])
            .Has(2, 8, "2.0.0", 9).Has(3, 7, "1.0.0", 5);

        var rows = new[] { 1, 2, 3 }.Select(id => _fleet.Judge(DriftScenario.Machine(id))).ToList();

        Assert.Equal([DriftState.Pending, DriftState.Pending, DriftState.Current], rows.Select(r => r.State));
        Assert.Equal([9, 9], rows.Take(2).Select(r => r.DeploymentId));
    }

    [Fact]
    public void A_queued_deployment_of_chosen_machines_leaves_the_others_behind()
    {
        _fleet.Deployment(5, 7, "1.0.0").Deployment(9, 7, "1.0.0", DeploymentState.Queued, chosen: [2]);

        Assert.Equal(DriftState.Behind, _fleet.Judge(DriftScenario.Machine(1)).State);
        Assert.Equal(DriftState.Pending, _fleet.Judge(DriftScenario.Machine(2)).State);
    }

    [Fact]
    public void A_stored_retry_makes_it_waiting_with_the_engine_s_reason()
    {
        _fleet.Deployment(5, 7, "1.0.0").Decided(40, 1, DecisionKind.RetryScheduled, "1.0.0 failed on 'machine-1' in deployment #6 (attempt 1 of 3).", 7, 6);
        _fleet.Retries.Add(new FleetRetry(1, 10, DriftScenario.Production, 2, DriftScenario.Now));

        var row = _fleet.Judge(DriftScenario.Machine());

        Assert.Equal((DriftState.Waiting, "1.0.0 failed on 'machine-1' in deployment #6 (attempt 1 of 3)."), (row.State, row.Reason));
        Assert.Equal((40L, 6), (row.DecisionId, row.DeploymentId));
    }

    [Fact]
    public void A_stored_retry_whose_decision_is_not_at_hand_says_when_it_is_due()
    {
        _fleet.Deployment(5, 7, "1.0.0");
        _fleet.Retries.Add(new FleetRetry(1, 10, DriftScenario.Production, 2, DriftScenario.Now));

        var row = _fleet.Judge(DriftScenario.Machine());

        Assert.Equal((DriftState.Waiting, "The engine tries again at 12:00:00 UTC (attempt 2)."), (row.State, row.Reason));
    }

    [Fact]
    public void A_scheduled_retry_that_is_no_longer_stored_leaves_the_machine_behind()
    {
        _fleet.Deployment(5, 7, "1.0.0").Decided(40, 1, DecisionKind.RetryScheduled, "attempt 2 at 12:00:30 UTC", 7, 6);

        Assert.Equal(DriftState.Behind, _fleet.Judge(DriftScenario.Machine()).State);
    }

    [Fact]
    public void Waiting_for_a_running_deployment_lasts_while_it_runs()
    {
        _fleet.Deployment(5, 7, "1.0.0").Deployment(9, 7, "1.0.0", DeploymentState.Executing, targets: [new(2, TargetState.Running)])
            .Decided(41, 1, DecisionKind.WaitingForDeployment, "Deployment #9 of 1.0.0 is running in the environment.", 7, 9);

        var waiting = _fleet.Judge(DriftScenario.Machine());
        _fleet.Deployments.RemoveAt(1);
        var ended = _fleet.Judge(DriftScenario.Machine());

        Assert.Equal((DriftState.Waiting, "Deployment #9 of 1.0.0 is running in the environment.", 9, 41L),
            (waiting.State, waiting.Reason, waiting.DeploymentId, waiting.DecisionId));
        Assert.Equal(DriftState.Behind, ended.State);
    }

    [Fact]
    public void With_no_release_to_deploy_it_is_blocked_with_the_engine_s_reason_or_its_own()
    {
        var plain = _fleet.Judge(DriftScenario.Machine());
        _fleet.Decided(42, 1, DecisionKind.NoRelease, "No release of 'Shop' has been deployed to this environment yet and no override is set; #7 matched.");
        var decided = _fleet.Judge(DriftScenario.Machine());

        Assert.Equal((DriftState.Blocked, "No release of 'Shop' has been deployed to Production yet and no override is set.", (long?)null),
            (plain.State, plain.Reason, plain.DecisionId));
        Assert.Equal((DriftState.Blocked, 42L), (decided.State, decided.DecisionId));
        Assert.StartsWith("No release of 'Shop' has been deployed to this environment yet", decided.Reason);
        Assert.Null(decided.ShouldHaveVersion);
    }

    [Fact]
    public void A_block_of_the_release_it_should_have_is_blocked_and_a_block_of_an_older_one_is_behind()
    {
        _fleet.Deployment(5, 7, "1.0.0")
            .Decided(43, 1, DecisionKind.Blocked, "Blocked after 3 failures: 1.0.0 failed on 'machine-1' in deployment #8.", 7, 8)
            .Decided(44, 2, DecisionKind.Blocked, "Blocked after 3 failures: 0.9.0 failed on 'machine-2' in deployment #3.", 6, 3);

        var blocked = _fleet.Judge(DriftScenario.Machine(1));
        var behind = _fleet.Judge(DriftScenario.Machine(2));

        Assert.Equal((DriftState.Blocked, "Blocked after 3 failures: 1.0.0 failed on 'machine-1' in deployment #8.", 8, 43L),
            (blocked.State, blocked.Reason, blocked.DeploymentId, blocked.DecisionId));
        Assert.Equal((DriftState.Behind, (long?)null), (behind.State, behind.DecisionId));
    }

    [Fact]
    public void The_latest_decision_answers()
    {
        _fleet.Deployment(5, 7, "1.0.0").Deployment(9, 7, "1.0.0", DeploymentState.Executing, targets: [new(2, TargetState.Running)])
            .Decided(41, 1, DecisionKind.WaitingForDeployment, "Waiting for #9.", 7, 9)
            .Decided(45, 1, DecisionKind.Blocked, "Blocked after 3 failures.", 7, 8);

        Assert.Equal(DriftState.Blocked, _fleet.Judge(DriftScenario.Machine()).State);
    }

    [Fact]
    public void Decisions_do_not_change_a_row_that_is_current_pending_or_not_covered()
    {
        _fleet.Deployment(5, 7, "1.0.0").Deployment(9, 7, "1.0.0", DeploymentState.Queued, chosen: [2]).Has(1, 7, "1.0.0", 5);
        var machines = new[] { DriftScenario.Machine(1), DriftScenario.Machine(2), DriftScenario.Machine(3, role: "db") };
        var before = machines.Select(m => _fleet.Judge(m)).ToList();

        foreach (var machine in machines)
        {
            _fleet.Decided(50 + machine.Id, machine.Id, DecisionKind.Blocked, "Blocked after 3 failures.", 7, 8);
            _fleet.Retries.Add(new FleetRetry(machine.Id, 10, DriftScenario.Production, 2, DriftScenario.Now));
        }
        var after = machines.Select(m => _fleet.Judge(m)).ToList();

        Assert.Equal([DriftState.Current, DriftState.Pending, DriftState.NotCovered], before.Select(r => r.State));
        Assert.Equal(before, after);
        Assert.All(before, r => Assert.False(Drift.DependsOnDecisions(r.State)));
    }

    [Fact]
    public void A_machine_in_several_environments_shows_the_worst_unless_one_is_asked_for()
    {
        _fleet.Deployment(5, 7, "1.0.0").Deployment(6, 8, "2.0.0", environment: DriftScenario.Staging).Has(1, 7, "1.0.0", 5);
        var machine = DriftScenario.Machine(environments: [DriftScenario.Production, DriftScenario.Staging]);

        var worst = _fleet.Judge(machine);
        var production = _fleet.Judge(machine, DriftScenario.Production);

        Assert.Equal((DriftState.Behind, "Staging", "2.0.0"), (worst.State, worst.EnvironmentName, worst.ShouldHaveVersion));
        Assert.Equal((DriftState.Current, "Production"), (production.State, production.EnvironmentName));
    }
}

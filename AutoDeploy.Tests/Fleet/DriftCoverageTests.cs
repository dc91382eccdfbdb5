using AutoDeploy.Domain.Fleet;
using AutoDeploy.Domain.Triggers;
using AutoDeploy.Tests.Triggers;

namespace AutoDeploy.Tests.Fleet;

/// <summary>Which machines a project's triggers cover, and what the rows say when none does.</summary>
public sealed class DriftCoverageTests
{
    private readonly DriftScenario _fleet = new();

    [Fact]
    public void A_disabled_project_covers_nothing()
    {
        _fleet.Projects[0] = _fleet.Projects[0] with { IsEnabled = false };

        var row = _fleet.Judge(DriftScenario.Machine());

        Assert.Equal((DriftState.NotCovered, "'Shop' is disabled."), (row.State, row.Reason));
        Assert.Null(row.EnvironmentId);
    }

    [Fact]
    public void A_project_whose_triggers_are_disabled_covers_nothing()
    {
        _fleet.Triggers[0] = _fleet.Triggers[0] with { IsEnabled = false };

        var row = _fleet.Judge(DriftScenario.Machine());

        Assert.Equal((DriftState.NotCovered, "'Shop' has no enabled trigger that deploys it."), (row.State, row.Reason));
    }

    [Fact]
    public void A_leave_hook_covers_no_machine()
    {
        _fleet.Triggers[0] = _fleet.Triggers[0] with { Action = TriggerAction.RunOnOtherMachines };

        var row = _fleet.Judge(DriftScenario.Machine());

        Assert.Equal((DriftState.NotCovered, "'Shop' has no enabled trigger that deploys it."), (row.State, row.Reason));
    }

    [Fact]
    public void A_trigger_for_other_roles_or_environments_does_not_cover_the_machine()
    {
        _fleet.Triggers[0] = PlannerScenario.Trigger(10, DriftScenario.Shop, false, "api");
        _fleet.Triggers.Add(PlannerScenario.Trigger(11, DriftScenario.Shop) with { EnvironmentIds = [DriftScenario.Staging] });

        var row = _fleet.Judge(DriftScenario.Machine());

        Assert.Equal((DriftState.NotCovered, "No enabled trigger of 'Shop' applies to 'machine-1' in Production with roles web."), (row.State, row.Reason));
    }

    [Fact]
    public void A_machine_whose_roles_no_step_runs_on_is_not_covered_even_by_a_trigger_for_every_role()
    {
        var row = _fleet.Judge(DriftScenario.Machine(role: "db"));

        Assert.Equal((DriftState.NotCovered, "No step of 'Shop' runs on the roles of 'machine-1' (db)."), (row.State, row.Reason));
    }

    [Fact]
    public void A_machine_not_covered_still_shows_the_release_it_has()
    {
        _fleet.Projects[0] = _fleet.Projects[0] with { IsEnabled = false };
        _fleet.Has(1, 7, "1.0.0", 5);

        var row = _fleet.Judge(DriftScenario.Machine());

        Assert.Equal((DriftState.NotCovered, "1.0.0", 5, (string?)null), (row.State, row.HasVersion, row.HasDeploymentId, row.ShouldHaveVersion));
    }

    [Fact]
    public void The_first_enabled_trigger_that_applies_is_the_row_s_trigger()
    {
        _fleet.Triggers.Insert(0, PlannerScenario.Trigger(9, DriftScenario.Shop) with { IsEnabled = false });
        _fleet.Triggers.Add(PlannerScenario.Trigger(12, DriftScenario.Shop));
        _fleet.Deployment(5, 7, "1.0.0");

        var row = _fleet.Judge(DriftScenario.Machine());

        Assert.Equal((10, "Trigger 10"), (row.TriggerId, row.TriggerName));
    }

    [Fact]
    public void All_rows_go_by_machine_then_project_and_a_project_filter_keeps_its_own()
    {
        _fleet.Projects.Add(new PlannerProject(2, "Search", true, [["web"]]));
        var machines = new[] { DriftScenario.Machine(3), DriftScenario.Machine(1) };

        var all = Drift.Judge(_fleet.Snapshot(), machines).Select(r => (r.MachineId, r.ProjectId)).ToList();
        var search = Drift.Judge(_fleet.Snapshot(), machines, projectId: 2).Select(r => (r.MachineId, r.ProjectId)).ToList();

        Assert.Equal([(1, 1), (1, 2), (3, 1), (3, 2)], all);
        Assert.Equal([(1, 2), (3, 2)], search);
    }
}

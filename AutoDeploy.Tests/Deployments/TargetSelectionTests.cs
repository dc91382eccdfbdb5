using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Domain.Projects;

namespace AutoDeploy.Tests.Deployments;

public sealed class TargetSelectionTests
{
    private static readonly DeploymentStep WebStep = new() { Name = "Deploy web", Roles = ["web"], Script = "echo hi" };

    [Fact]
    public void Select_takes_enabled_machines_whose_roles_match_a_step()
    {
        var web = Machine(1, "web-01", ["web"]);
        var worker = Machine(2, "worker-01", ["worker"]);
        var disabled = Machine(3, "web-02", ["web"]) with { IsEnabled = false };

        var plan = TargetSelection.Select([WebStep], new ConnectivitySettings(), [web, worker, disabled]);

        Assert.True(plan.CanRun);
        Assert.Equal([web], plan.Targets);
    }

    [Fact]
    public void Select_with_no_matching_machine_is_an_error_unless_allowed()
    {
        var worker = Machine(2, "worker-01", ["worker"]);

        var refused = TargetSelection.Select([WebStep], new ConnectivitySettings(), [worker]);
        var allowed = TargetSelection.Select([WebStep], new ConnectivitySettings { AllowDeploymentsToNoTargets = true }, [worker]);

        Assert.Contains("No machine to deploy to", refused.Error);
        Assert.True(allowed.CanRun);
        Assert.Empty(allowed.Targets);
    }

    [Fact]
    public void Select_fails_on_an_unavailable_machine_when_the_project_does_not_skip_them()
    {
        var down = Machine(1, "web-01", ["web"], MachineHealthStatus.Unavailable);

        var plan = TargetSelection.Select([WebStep], new ConnectivitySettings(), [down, Machine(2, "web-02", ["web"])]);

        Assert.Contains("'web-01'", plan.Error);
    }

    [Fact]
    public void Select_skips_unavailable_machines_only_of_the_listed_roles()
    {
        var settings = new ConnectivitySettings { SkipUnavailableMachines = true, SkipUnavailableRoles = ["cache"] };
        var downCache = Machine(1, "cache-01", ["web", "cache"], MachineHealthStatus.Unavailable);
        var downWeb = Machine(2, "web-01", ["web"], MachineHealthStatus.Unavailable);

        var skippable = TargetSelection.Select([WebStep], settings, [downCache, Machine(3, "web-02", ["web"])]);
        var notSkippable = TargetSelection.Select([WebStep], settings, [downWeb, Machine(3, "web-02", ["web"])]);

        Assert.True(skippable.CanRun);
        Assert.Equal("cache-01", Assert.Single(skippable.Skipped).Machine.Name);
        Assert.False(notSkippable.CanRun);
    }

    [Fact]
    public void Select_excludes_unhealthy_machines_when_the_project_says_so()
    {
        var sick = Machine(1, "web-01", ["web"], MachineHealthStatus.Unhealthy);
        var well = Machine(2, "web-02", ["web"]);

        var excluded = TargetSelection.Select([WebStep], new ConnectivitySettings { ExcludeUnhealthyMachines = true }, [sick, well]);
        var included = TargetSelection.Select([WebStep], new ConnectivitySettings(), [sick, well]);

        Assert.Equal([well], excluded.Targets);
        Assert.Equal([sick, well], included.Targets);
    }

    [Fact]
    public void Select_limits_to_chosen_machines_and_refuses_ones_outside_the_environment()
    {
        var one = Machine(1, "web-01", ["web"]);
        var two = Machine(2, "web-02", ["web"]);

        var chosen = TargetSelection.Select([WebStep], new ConnectivitySettings(), [one, two], [2]);
        var outside = TargetSelection.Select([WebStep], new ConnectivitySettings(), [one, two], [9]);

        Assert.Equal([two], chosen.Targets);
        Assert.Contains("#9", outside.Error);
    }

    [Fact]
    public void Select_refuses_a_release_without_steps()
    {
        var plan = TargetSelection.Select([], new ConnectivitySettings(), [Machine(1, "web-01", ["web"])]);

        Assert.Equal("The release has no steps to run.", plan.Error);
    }

    private static MachineCandidate Machine(int id, string name, string[] roles, MachineHealthStatus health = MachineHealthStatus.Healthy) =>
        new(id, name, roles, true, health);
}

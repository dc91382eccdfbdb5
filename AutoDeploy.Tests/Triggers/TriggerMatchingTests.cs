using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Domain.Triggers;

namespace AutoDeploy.Tests.Triggers;

/// <summary>The planner's rules that readiness shares: which environments a trigger applies to a machine in, and which release belongs there.</summary>
public sealed class TriggerMatchingTests
{
    private static readonly PlannerMachine Web = new(1, "web-01", [10, 20], ["web"], true, MachineHealthStatus.Healthy);
    private static readonly PlannerProject Shop = new(5, "Shop", true, [["web"]]);

    [Fact]
    public void A_trigger_without_environments_or_roles_applies_in_every_environment_of_the_machine()
    {
        Assert.Equal([10, 20], AutoDeployPlanner.EnvironmentsFor(Web, Trigger(), Shop));
    }

    [Fact]
    public void A_trigger_applies_only_in_its_environments_and_to_its_roles()
    {
        Assert.Equal([20], AutoDeployPlanner.EnvironmentsFor(Web, Trigger() with { EnvironmentIds = [20, 30] }, Shop));
        Assert.Empty(AutoDeployPlanner.EnvironmentsFor(Web, Trigger() with { Roles = ["db"] }, Shop));
    }

    [Fact]
    public void A_disabled_trigger_or_project_applies_nowhere()
    {
        Assert.Empty(AutoDeployPlanner.EnvironmentsFor(Web, Trigger() with { IsEnabled = false }, Shop));
        Assert.Empty(AutoDeployPlanner.EnvironmentsFor(Web, Trigger(), Shop with { IsEnabled = false }));
    }

    [Fact]
    public void The_release_for_an_environment_is_the_override_else_the_latest_success_there()
    {
        var deployments = new List<PlannerDeployment>
        {
            new(1, 5, 10, 100, "1.0.0", DeploymentState.Success, [], []),
            new(2, 5, 10, 101, "1.1.0", DeploymentState.Success, [], []),
            new(3, 5, 10, 102, "1.2.0", DeploymentState.Failed, [], []),
        };
        var input = new PlannerInput([], [], [], [], deployments, [], [], [], 0);

        Assert.Equal((101, "1.1.0"), AutoDeployPlanner.ReleaseFor(input, 5, 10));
        Assert.Null(AutoDeployPlanner.ReleaseFor(input, 5, 20));
        Assert.Equal((100, "1.0.0"), AutoDeployPlanner.ReleaseFor(input with { Overrides = [new PlannerOverride(5, 10, 100, "1.0.0")] }, 5, 10));
    }

    private static PlannerTrigger Trigger() => new(7, 5, "Web servers", true, [], [], new HashSet<string>(), false);
}

using AutoDeploy.Domain.Environments;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Domain.Policies;

namespace AutoDeploy.Tests.Machines;

public sealed class MachineTests
{
    private readonly DeploymentEnvironment _production = Environment(1, "Production");
    private readonly DeploymentEnvironment _test = Environment(2, "Test");
    private readonly MachinePolicy _policy = Policy(1, "Default");

    [Fact]
    public void Register_raises_one_MachineAdded_and_normalizes_roles()
    {
        var machine = Machine.Register(" web-01 ", [_production], ["web", " api ", "web"], _policy, DateTimeOffset.UnixEpoch);

        Assert.Equal([EventCategories.MachineAdded], Categories(machine));
        Assert.Equal("web-01", machine.Name);
        Assert.Equal(["api", "web"], machine.Roles);
    }

    [Fact]
    public void ReportAgentVersion_raises_AgentUpdated_only_for_a_change_from_a_known_version()
    {
        var machine = Registered();

        machine.ReportAgentVersion("0.9.0");
        machine.ReportAgentVersion("0.9.0");
        machine.ReportAgentVersion("1.0.0");

        Assert.Equal([EventCategories.AgentUpdated], Categories(machine));
        Assert.Equal("1.0.0", machine.AgentVersion);
        Assert.Equal("The agent on 'web-01' is now version 1.0.0 (was 0.9.0)", machine.DomainEvents.Single().Message);
    }

    [Fact]
    public void Disable_twice_raises_MachineDisabled_once()
    {
        var machine = Registered();

        machine.Disable();
        machine.Disable();

        Assert.Equal([EventCategories.MachineDisabled], Categories(machine));
        Assert.False(machine.IsEnabled);
    }

    [Fact]
    public void Enable_when_already_enabled_raises_nothing()
    {
        var machine = Registered();

        machine.Enable();

        Assert.Empty(machine.DomainEvents);
    }

    [Fact]
    public void Disable_then_enable_raises_MachineDisabled_then_MachineEnabled()
    {
        var machine = Registered();

        machine.Disable();
        machine.Enable();

        Assert.Equal([EventCategories.MachineDisabled, EventCategories.MachineEnabled], Categories(machine));
    }

    [Fact]
    public void ChangeDeploymentProperties_with_the_same_values_raises_nothing()
    {
        var machine = Registered();

        machine.ChangeDeploymentProperties([_production], ["web", "web "], _policy);

        Assert.Empty(machine.DomainEvents);
    }

    [Fact]
    public void ChangeDeploymentProperties_raises_one_event_for_environments_roles_and_policy_together()
    {
        var machine = Registered();
        var spot = Policy(2, "Spot");

        machine.ChangeDeploymentProperties([_production, _test], ["web", "worker"], spot);

        var raised = Assert.Single(machine.DomainEvents);
        Assert.Equal(EventCategories.MachineDeploymentRelatedPropertyWasUpdated, raised.Category);
        Assert.Contains("'Test'", raised.Message);
        Assert.Contains("worker", raised.Message);
        Assert.Contains("'Spot'", raised.Message);
    }

    [Fact]
    public void ChangeDeploymentProperties_replaces_the_environments()
    {
        var machine = Registered();

        machine.ChangeDeploymentProperties([_test], ["web"], _policy);

        Assert.Equal([_test.Id], machine.Environments.Select(e => e.Id));
    }

    [Fact]
    public void Rename_raises_no_machine_event()
    {
        var machine = Registered();

        machine.Rename("web-02");

        Assert.Empty(machine.DomainEvents);
        Assert.Equal("WEB-02", machine.NormalizedName);
    }

    [Fact]
    public void Delete_raises_MachineDeleted_with_the_reason()
    {
        var machine = Registered();

        machine.Delete("by alice");

        var raised = Assert.Single(machine.DomainEvents);
        Assert.Equal(EventCategories.MachineDeleted, raised.Category);
        Assert.Contains("by alice", raised.Message);
    }

    private Machine Registered()
    {
        var machine = Machine.Register("web-01", [_production], ["web"], _policy, DateTimeOffset.UnixEpoch);
        machine.ClearDomainEvents();
        return machine;
    }

    private static List<string> Categories(Machine machine) => machine.DomainEvents.Select(e => e.Category).ToList();

    private static DeploymentEnvironment Environment(int id, string name)
    {
        var environment = DeploymentEnvironment.Create(name, null, id);
        environment.Id = id;
        return environment;
    }

    private static MachinePolicy Policy(int id, string name)
    {
        var policy = MachinePolicy.CreateDefault();
        policy.Id = id;
        policy.Rename(name);
        return policy;
    }
}

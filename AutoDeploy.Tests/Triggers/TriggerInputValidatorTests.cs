using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Triggers;

namespace AutoDeploy.Tests.Triggers;

public sealed class TriggerInputValidatorTests
{
    private readonly TriggerInputValidator _validator = new();

    [Fact]
    public void Validate_RecommendedTrigger_IsValid()
    {
        var result = _validator.Validate(TriggerTestData.Input("Web servers"));

        Assert.True(result.IsValid);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Validate_BlankName_IsRequired(string name)
    {
        Assert.Equal(["Name is required."], Messages(TriggerTestData.Input(name), nameof(TriggerInput.Name)));
    }

    [Fact]
    public void Validate_LeaveHookOnArrivalEventsOnly_AsksForALeaveEvent()
    {
        var input = TriggerTestData.Input("LB deregister");
        input.Action = TriggerAction.RunOnOtherMachines;

        Assert.Equal([TriggerInputValidator.LeaveEventsMessage], Messages(input, nameof(TriggerInput.EventGroups)));
    }

    [Fact]
    public void Validate_LeaveHookOnLeaveEvents_IsValid_ButNotWithRedeploy()
    {
        var input = TriggerTestData.Input("LB deregister");
        input.Action = TriggerAction.RunOnOtherMachines;
        input.EventGroups = [EventGroups.MachineUnavailableForDeployment];
        var valid = _validator.Validate(input);
        input.Redeploy = true;

        Assert.True(valid.IsValid);
        Assert.Single(Messages(input, nameof(TriggerInput.Redeploy)));
    }

    [Fact]
    public void Validate_UnknownAction_IsRefused()
    {
        var input = TriggerTestData.Input("Web");
        input.Action = (TriggerAction)42;

        Assert.Single(Messages(input, nameof(TriggerInput.Action)));
    }

    [Fact]
    public void Validate_NameOf201Characters_IsTooLong()
    {
        Assert.Equal(["Name must be at most 200 characters."], Messages(TriggerTestData.Input(new string('a', 201)), nameof(TriggerInput.Name)));
    }

    [Fact]
    public void Validate_DescriptionOf2001Characters_IsTooLong()
    {
        var input = TriggerTestData.Input("Web");
        input.Description = new string('d', 2001);

        Assert.Equal(["Description must be at most 2000 characters."], Messages(input, nameof(TriggerInput.Description)));
    }

    [Fact]
    public void Validate_InvalidRole_NamesIt()
    {
        var input = TriggerTestData.Input("Web");
        input.Roles = ["web", "Web Server"];

        var message = Assert.Single(Messages(input, nameof(TriggerInput.Roles)));
        Assert.EndsWith(": 'Web Server'.", message);
    }

    [Fact]
    public void Validate_NoGroupAndNoCategory_AsksForOne()
    {
        var input = TriggerTestData.Input("Web");
        input.EventGroups = [];

        Assert.Equal(["Choose at least one event group or category."], Messages(input, nameof(TriggerInput.EventGroups)));
    }

    [Fact]
    public void Validate_OnlyACategory_IsValid()
    {
        var input = TriggerTestData.Input("Web");
        input.EventGroups = [];
        input.EventCategories = [EventCategories.MachineAdded];

        Assert.True(_validator.Validate(input).IsValid);
    }

    [Fact]
    public void Validate_UnknownGroups_AreNamed()
    {
        var input = TriggerTestData.Input("Web");
        input.EventGroups = [EventGroups.Machine, "MachineOnFire", "Deployments"];

        var message = Assert.Single(Messages(input, nameof(TriggerInput.EventGroups)));
        Assert.StartsWith("Unknown event groups: 'MachineOnFire', 'Deployments'. Choose from: MachineAvailableForDeployment,", message);
    }

    [Fact]
    public void Validate_CategoryThatIsNotAMachineCategory_IsNamed()
    {
        var input = TriggerTestData.Input("Web");
        input.EventCategories = [EventCategories.MachineHealthy, EventCategories.DeploymentQueued];

        var message = Assert.Single(Messages(input, nameof(TriggerInput.EventCategories)));
        Assert.StartsWith("Not machine event categories: 'DeploymentQueued'. Choose from: MachineAdded,", message);
    }

    [Fact]
    public void Normalized_DropsBlanksAndDuplicatesAndOrdersGroupsCanonically()
    {
        var input = new TriggerInput
        {
            Name = " Web ",
            Description = "  ",
            Roles = ["web", " web", ""],
            EventGroups = [EventGroups.Machine, "", EventGroups.MachineAvailableForDeployment, EventGroups.Machine],
            EventCategories = [EventCategories.MachineHealthy, EventCategories.MachineAdded],
            EnvironmentIds = [3, 1, 3],
        };

        var normalized = input.Normalized();

        Assert.Null(normalized.Description);
        Assert.Equal(["web"], normalized.Roles);
        Assert.Equal([EventGroups.MachineAvailableForDeployment, EventGroups.Machine], normalized.EventGroups);
        Assert.Equal([EventCategories.MachineAdded, EventCategories.MachineHealthy], normalized.EventCategories);
        Assert.Equal([1, 3], normalized.EnvironmentIds);
    }

    private string[] Messages(TriggerInput input, string property) =>
        [.. _validator.Validate(input).Errors.Where(e => e.PropertyName == property).Select(e => e.ErrorMessage)];
}

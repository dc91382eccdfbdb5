using AutoDeploy.Domain.Permissions;

namespace AutoDeploy.Tests.Permissions;

/// <summary>The one permission check (<see cref="Access"/>): roles, scopes, and what a limit means for a thing without that dimension.</summary>
public sealed class AccessTests
{
    private const int Test = 1, Production = 2, Shop = 10, Blog = 11;

    [Fact]
    public void A_deployer_for_test_deploys_any_project_to_test_and_nothing_to_production()
    {
        var access = Of(new RoleAssignment(AssignedRoles.Deployer, [Test], []));

        Assert.True(access.Can(Permission.Deploy, Shop, Test));
        Assert.False(access.Can(Permission.Deploy, Shop, Production));
        Assert.False(access.Can(Permission.EditProject, Shop));
    }

    [Fact]
    public void A_project_editor_of_one_project_edits_only_it_and_creates_no_project()
    {
        var access = Of(new RoleAssignment(AssignedRoles.ProjectEditor, [], [Shop]));

        Assert.True(access.Can(Permission.EditProject, Shop));
        Assert.False(access.Can(Permission.EditProject, Blog));
        Assert.False(access.Can(Permission.EditProject));
        Assert.False(access.Can(Permission.Deploy, Shop, Test));
    }

    [Fact]
    public void A_viewer_of_a_project_sees_its_deployments_everywhere_and_machine_events_but_not_other_projects()
    {
        var access = Of(new RoleAssignment(AssignedRoles.Viewer, [], [Shop]));

        Assert.True(access.CanView(Shop, [Production]));
        Assert.True(access.CanView(null, [Production]));
        Assert.False(access.CanView(Blog, [Test]));
        Assert.False(access.SeesEverything);
    }

    [Fact]
    public void Two_scoped_assignments_are_not_crossed()
    {
        var access = Of(new RoleAssignment(AssignedRoles.Viewer, [Test], [Shop]), new RoleAssignment(AssignedRoles.Viewer, [Production], [Blog]));

        Assert.True(access.CanView(Shop, [Test]));
        Assert.True(access.CanView(Blog, [Production]));
        Assert.False(access.CanView(Shop, [Production]));
    }

    [Fact]
    public void An_administrator_may_do_everything_and_nobody_nothing()
    {
        Assert.True(Of(RoleAssignment.Unscoped(AssignedRoles.Administrator)).Can(Permission.Administer));
        Assert.False(Access.None.CanView(null, []));
        Assert.False(Of(RoleAssignment.Unscoped(AssignedRoles.Deployer)).Can(Permission.Administer));
    }

    [Fact]
    public void The_validator_refuses_a_scoped_administrator_and_an_environment_limit_on_a_project_editor()
    {
        var validator = new RoleAssignmentListValidator();

        var result = validator.Validate([
            new RoleAssignmentInput { Role = AssignedRoles.Administrator, ProjectIds = [Shop] },
            new RoleAssignmentInput { Role = AssignedRoles.ProjectEditor, EnvironmentIds = [Test] },
            new RoleAssignmentInput { Role = "Owner" },
        ]);

        Assert.Equal(3, result.Errors.Count);
        Assert.False(validator.Validate([]).IsValid);
    }

    private static Access Of(params RoleAssignment[] assignments) => new("user", assignments);
}

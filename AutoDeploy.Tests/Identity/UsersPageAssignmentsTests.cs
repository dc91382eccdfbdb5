using AutoDeploy.Domain.Environments;
using AutoDeploy.Domain.Permissions;
using AutoDeploy.Web.Components.Pages.Users;
using AutoDeploy.Web.Identity;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace AutoDeploy.Tests.Identity;

/// <summary>The Users page shows each user's role assignments by name, scoped ones summed up as "Custom".</summary>
public sealed class UsersPageAssignmentsTests : IdentityBunitContext
{
    [Fact]
    public async Task A_scoped_deployer_is_shown_as_custom_with_their_environments_by_name()
    {
        SignInAs(await CreateUserAsync(Roles.Administrator, "admin@autodeploy.test"));
        await using (var db = Database.CreateDbContext())
        {
            db.Environments.Add(DeploymentEnvironment.Create("Test", null, 1));
            await db.SaveChangesAsync();
        }
        var test = (await Services.GetRequiredService<UserService>().AssignmentOptionsAsync()).Environments.Single().Id;
        var created = await Services.GetRequiredService<UserService>().CreateAsync(new NewUserInput
        {
            Email = "dora@autodeploy.test", Password = "Some-Passw0rd!",
            Assignments = [new RoleAssignmentInput { Role = AssignedRoles.Deployer, EnvironmentIds = [test] }, new RoleAssignmentInput()],
        });
        Assert.True(created.Result.Succeeded, created.Result.Message);

        var cut = Render<UsersPage>();

        cut.WaitForAssertion(() => Assert.Contains(cut.FindAll("[data-testid=users] tbody tr"), row => row.TextContent.Contains("dora@")));
        var row = cut.FindAll("[data-testid=users] tbody tr").Single(r => r.TextContent.Contains("dora@"));
        Assert.Equal("Deployer for Test; Viewer", row.QuerySelector("[data-testid=assignments]")!.TextContent.Trim());
        Assert.Equal("Custom", created.Value!.Role);
    }

    [Fact]
    public async Task Assignments_naming_an_unknown_environment_are_refused_beside_the_field()
    {
        var result = await Services.GetRequiredService<UserService>().CreateAsync(new NewUserInput
        {
            Email = "eve@autodeploy.test", Password = "Some-Passw0rd!",
            Assignments = [new RoleAssignmentInput { Role = AssignedRoles.Deployer, EnvironmentIds = [987] }],
        });

        Assert.Contains("No such environment: 987.", result.Result.Errors!["Assignments.EnvironmentIds"]);
    }
}

using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace AutoDeploy.Tests.Identity;

/// <summary>The user rules, against the app's real Identity stores; the bootstrap administrator is the only administrator.</summary>
[Trait("Database", "App")]
public sealed class UserServiceTests : IAsyncLifetime
{
    private readonly AutoDeployAppFactory _app = new();
    private IServiceScope _scope = null!;
    private UserService _users = null!;
    private string _adminId = "";

    public async Task InitializeAsync()
    {
        _scope = _app.Services.CreateScope();
        _users = _scope.ServiceProvider.GetRequiredService<UserService>();
        _adminId = (await _users.ListAsync()).Single(u => u.Email == AutoDeployAppFactory.AdminEmail).Id;
    }

    public async Task DisposeAsync()
    {
        _scope.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task A_new_user_has_exactly_the_role_chosen()
    {
        var created = await CreateAsync(Roles.Deployer);

        var listed = (await _users.ListAsync()).Single(u => u.Id == created.Id);

        Assert.Equal(Roles.Deployer, listed.Role);
    }

    [Fact]
    public async Task A_weak_password_is_reported_under_Password()
    {
        var result = await _users.CreateAsync(new NewUserInput { Email = "weak@autodeploy.test", Password = "weakpassword", Role = Roles.Viewer });

        Assert.Equal(SaveStatus.Invalid, result.Result.Status);
        Assert.Contains(result.Result.Errors!["Password"], m => m.Contains("digit"));
    }

    [Fact]
    public async Task An_email_already_taken_is_reported_under_Email()
    {
        var result = await _users.CreateAsync(new NewUserInput
        {
            Email = AutoDeployAppFactory.AdminEmail, Password = "Other-Passw0rd!", Role = Roles.Viewer,
        });

        Assert.Equal(SaveStatus.Invalid, result.Result.Status);
        Assert.True(result.Result.Errors!.ContainsKey("Email"));
    }

    [Fact]
    public async Task Every_invalid_field_is_reported()
    {
        var result = await _users.CreateAsync(new NewUserInput { Email = "not an email", Password = "", Role = "Root" });

        Assert.Equal(["Email", "Password", "Role"], result.Result.Errors!.Keys.Order());
    }

    [Fact]
    public async Task Changing_the_role_replaces_the_old_one()
    {
        var user = await CreateAsync(Roles.Viewer);

        var result = await _users.ChangeRoleAsync(user.Id, Roles.Administrator, _adminId);

        Assert.True(result.Succeeded);
        Assert.Equal(Roles.Administrator, (await _users.ListAsync()).Single(u => u.Id == user.Id).Role);
    }

    [Fact]
    public async Task The_last_administrator_cannot_be_demoted()
    {
        var deployer = await CreateAsync(Roles.Deployer);

        var result = await _users.ChangeRoleAsync(_adminId, Roles.Viewer, deployer.Id);

        Assert.Equal(SaveStatus.Conflict, result.Status);
        Assert.Contains("last administrator", result.Message);
    }

    [Fact]
    public async Task The_last_administrator_cannot_be_deleted()
    {
        var deployer = await CreateAsync(Roles.Deployer);

        var result = await _users.DeleteAsync(_adminId, deployer.Id);

        Assert.Equal(SaveStatus.Conflict, result.Status);
        Assert.Contains(_adminId, (await _users.ListAsync()).Select(u => u.Id));
    }

    [Fact]
    public async Task An_administrator_can_be_deleted_while_another_remains()
    {
        var other = await CreateAsync(Roles.Administrator);

        var result = await _users.DeleteAsync(other.Id, _adminId);

        Assert.True(result.Succeeded);
        Assert.DoesNotContain(other.Id, (await _users.ListAsync()).Select(u => u.Id));
    }

    [Fact]
    public async Task Nobody_can_delete_themselves()
    {
        var other = await CreateAsync(Roles.Administrator);

        var result = await _users.DeleteAsync(other.Id, other.Id);

        Assert.Equal(SaveStatus.Conflict, result.Status);
    }

    [Fact]
    public async Task The_last_enabled_administrator_cannot_be_disabled_demoted_or_deleted()
    {
        var other = await CreateAsync(Roles.Administrator);
        Assert.True((await _users.SetDisabledAsync(other.Id, true, _adminId)).Succeeded);

        // The other administrator is disabled, so it does not count as one that remains.
        Assert.Equal(SaveStatus.Conflict, (await _users.SetDisabledAsync(_adminId, true, other.Id)).Status);
        Assert.Equal(SaveStatus.Conflict, (await _users.ChangeRoleAsync(_adminId, Roles.Viewer, other.Id)).Status);
        Assert.Equal(SaveStatus.Conflict, (await _users.DeleteAsync(_adminId, other.Id)).Status);
        Assert.True((await _users.ListAsync()).Single(u => u.Id == other.Id).Disabled);
        Assert.False((await _users.ListAsync()).Single(u => u.Id == _adminId).Disabled);
    }

    [Fact]
    public async Task A_disabled_user_is_enabled_again_and_nobody_disables_themselves()
    {
        var deployer = await CreateAsync(Roles.Deployer);

        Assert.Equal(SaveStatus.Conflict, (await _users.SetDisabledAsync(deployer.Id, true, deployer.Id)).Status);
        Assert.True((await _users.SetDisabledAsync(deployer.Id, true, _adminId)).Succeeded);
        Assert.True((await _users.SetDisabledAsync(deployer.Id, false, _adminId)).Succeeded);

        Assert.False((await _users.ListAsync()).Single(u => u.Id == deployer.Id).Disabled);
        Assert.Equal(SaveStatus.NotFound, (await _users.SetDisabledAsync("no-such-user", true, _adminId)).Status);
    }

    [Fact]
    public async Task The_first_administrator_cannot_be_created_twice()
    {
        var result = await _users.CreateFirstAdministratorAsync("second@autodeploy.test", "Second-Passw0rd!");

        Assert.Equal(SaveStatus.Conflict, result.Result.Status);
    }

    private async Task<UserSummary> CreateAsync(string role)
    {
        var result = await _users.CreateAsync(new NewUserInput
        {
            Email = $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@autodeploy.test", Password = "Some-Passw0rd!", Role = role,
        });
        return result.Value!;
    }
}

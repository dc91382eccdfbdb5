using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Identity;
using Microsoft.AspNetCore.Mvc;
using static AutoDeploy.Tests.TestSupport.ProblemResponses;

namespace AutoDeploy.Tests.Api;

/// <summary>Users (<c>/api/users</c>) and the caller's API keys (<c>/api/me/api-keys</c>), as a script manages them.</summary>
[Trait("Database", "App")]
public sealed class UsersApiTests(AutoDeployAppFactory app) : IClassFixture<AutoDeployAppFactory>
{
    private readonly HttpClient _client = app.CreateApiClient();

    [Fact]
    public async Task A_new_user_gets_another_role_and_is_deleted()
    {
        var user = await CreateUserAsync(Roles.Viewer);

        var changed = await _client.PutAsJsonAsync($"/api/users/{user.Id}/role", new { role = Roles.Deployer });
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        Assert.Equal(Roles.Deployer, (await ListAsync()).Single(u => u.Id == user.Id).Role);

        var deleted = await _client.DeleteAsync($"/api/users/{user.Id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.DoesNotContain(await ListAsync(), u => u.Id == user.Id);
        await ProblemAsync(await _client.DeleteAsync($"/api/users/{user.Id}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_unknown_role_is_400_naming_the_roles()
    {
        var user = await CreateUserAsync(Roles.Viewer);

        var response = await _client.PutAsJsonAsync($"/api/users/{user.Id}/role", new { role = "Owner" });

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(Roles.Administrator, problem.Errors["role"][0]);
    }

    [Fact]
    public async Task An_administrator_cannot_demote_or_delete_themselves_so_one_always_remains()
    {
        var me = (await ListAsync()).Single(u => u.Email == AutoDeployAppFactory.AdminEmail);

        await ProblemAsync(await _client.PutAsJsonAsync($"/api/users/{me.Id}/role", new { role = Roles.Viewer }), HttpStatusCode.Conflict);
        await ProblemAsync(await _client.DeleteAsync($"/api/users/{me.Id}"), HttpStatusCode.Conflict);
        Assert.Equal(Roles.Administrator, (await ListAsync()).Single(u => u.Id == me.Id).Role);
    }

    [Fact]
    public async Task A_disabled_user_s_api_keys_are_refused_until_they_are_enabled_again()
    {
        var user = await CreateUserAsync(Roles.Deployer);
        var key = await app.CreateApiKeyAsync(user.Id);
        using var asUser = app.CreateApiClient(key);
        Assert.Equal(HttpStatusCode.OK, (await asUser.GetAsync("/api/me")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await _client.PostAsync($"/api/users/{user.Id}/disable", null)).StatusCode);
        var refused = await ProblemAsync(await asUser.GetAsync("/api/me"), HttpStatusCode.Unauthorized);
        Assert.Contains("disabled", refused.Detail);
        Assert.True((await ListAsync()).Single(u => u.Id == user.Id).Disabled);

        Assert.Equal(HttpStatusCode.NoContent, (await _client.PostAsync($"/api/users/{user.Id}/enable", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await asUser.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task An_administrator_cannot_disable_themselves_and_unknown_users_are_404()
    {
        var me = (await ListAsync()).Single(u => u.Email == AutoDeployAppFactory.AdminEmail);

        await ProblemAsync(await _client.PostAsync($"/api/users/{me.Id}/disable", null), HttpStatusCode.Conflict);
        await ProblemAsync(await _client.PostAsync("/api/users/no-such-user/disable", null), HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task Users_are_for_administrators_only()
    {
        var viewer = await app.CreateViewerClientAsync();

        await ProblemAsync(await viewer.GetAsync("/api/users"), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task An_api_key_is_created_shown_once_listed_without_its_secret_and_revoked()
    {
        var created = await _client.PostAsJsonAsync("/api/me/api-keys", new { name = "CI pipeline" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var key = (await created.Content.ReadFromJsonAsync<NewApiKey>())!;
        using var withKey = app.CreateApiClient(key.Secret);
        Assert.Equal(HttpStatusCode.OK, (await withKey.GetAsync("/api/me")).StatusCode);

        var listed = await _client.GetStringAsync("/api/me/api-keys");
        Assert.Contains("CI pipeline", listed);
        Assert.DoesNotContain(key.Secret, listed);

        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync($"/api/me/api-keys/{key.Key.Id}")).StatusCode);
        await ProblemAsync(await withKey.GetAsync("/api/me"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_api_key_needs_a_name_and_only_its_owner_revokes_it()
    {
        await ProblemAsync(await _client.PostAsJsonAsync("/api/me/api-keys", new { name = " " }), HttpStatusCode.BadRequest);
        var created = await (await _client.PostAsJsonAsync("/api/me/api-keys", new { name = "Terraform" })).Content.ReadFromJsonAsync<NewApiKey>();

        var viewer = await app.CreateViewerClientAsync();

        await ProblemAsync(await viewer.DeleteAsync($"/api/me/api-keys/{created!.Key.Id}"), HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.OK, (await app.CreateApiClient(created.Secret).GetAsync("/api/me")).StatusCode);
    }

    private async Task<UserSummary> CreateUserAsync(string role)
    {
        var response = await _client.PostAsJsonAsync("/api/users",
            new { email = $"{Guid.NewGuid():N}@users.test", password = "Passw0rd!-long-enough", role });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<UserSummary>())!;
    }

    private async Task<IReadOnlyList<UserSummary>> ListAsync() => (await _client.GetFromJsonAsync<List<UserSummary>>("/api/users"))!;
}

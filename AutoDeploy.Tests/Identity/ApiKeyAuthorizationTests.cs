using System.Net;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace AutoDeploy.Tests.Identity;

/// <summary>On SQLite only: the subject is which role may call what, decided by the policies, not the database.</summary>
[Trait("Database", "SqliteOnly")]
public sealed class ApiKeyAuthorizationTests : IAsyncLifetime
{
    private readonly AutoDeployAppFactory _app = new();
    private IServiceScope? _scope;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _scope?.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task A_revoked_key_is_refused_at_once()
    {
        var (userId, key) = await CreateUserWithKeyAsync(Roles.Viewer);
        var client = _app.CreateApiClient(key.Secret);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/me")).StatusCode);

        await Service<ApiKeyService>().RevokeAsync(userId, key.Key.Id);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task A_viewer_s_key_may_read_but_not_administer()
    {
        var (_, key) = await CreateUserWithKeyAsync(Roles.Viewer);
        var client = _app.CreateApiClient(key.Secret);

        var me = await client.GetAsync("/api/me");
        var users = await client.GetAsync("/api/users");

        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, users.StatusCode);
    }

    [Fact]
    public async Task An_administrator_s_key_may_administer()
    {
        var (_, key) = await CreateUserWithKeyAsync(Roles.Administrator);

        var response = await _app.CreateApiClient(key.Secret).GetAsync("/api/users");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_deleted_user_s_key_is_refused()
    {
        var (userId, key) = await CreateUserWithKeyAsync(Roles.Deployer);
        var adminId = (await Service<UserService>().ListAsync()).Single(u => u.Email == AutoDeployAppFactory.AdminEmail).Id;

        await Service<UserService>().DeleteAsync(userId, adminId);

        Assert.Equal(HttpStatusCode.Unauthorized, (await _app.CreateApiClient(key.Secret).GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task Using_a_key_records_when_it_was_last_used()
    {
        var (userId, key) = await CreateUserWithKeyAsync(Roles.Viewer);

        await _app.CreateApiClient(key.Secret).GetAsync("/api/me");

        Assert.NotNull((await Service<ApiKeyService>().ListAsync(userId)).Single().LastUsedAt);
    }

    private async Task<(string UserId, NewApiKey Key)> CreateUserWithKeyAsync(string role)
    {
        var user = await Service<UserService>().CreateAsync(new NewUserInput
        {
            Email = $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@autodeploy.test",
            Password = "Some-Passw0rd!",
            Role = role,
        });
        var key = await Service<ApiKeyService>().CreateAsync(user.Value!.Id, "Test key");
        return (user.Value.Id, key.Value!);
    }

    private T Service<T>() where T : notnull => (_scope ??= _app.Services.CreateScope()).ServiceProvider.GetRequiredService<T>();
}

using System.Net;
using System.Net.Http.Json;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Api;
using AutoDeploy.Web.Identity;

namespace AutoDeploy.Tests.Identity;

/// <summary>
/// On SQLite only: the subject is the authentication handler; the key lookup is one indexed query, run on PostgreSQL by
/// every other API test of the PostgreSQL pass.
/// </summary>
[Trait("Database", "SqliteOnly")]
public sealed class ApiKeyAuthenticationTests : IAsyncLifetime
{
    private readonly AutoDeployAppFactory _app = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task The_bootstrap_api_key_acts_as_the_bootstrap_administrator()
    {
        var client = _app.CreateApiClient();

        var me = await client.GetFromJsonAsync<MeResponse>("/api/me");

        Assert.Equal(AutoDeployAppFactory.AdminEmail, me!.Name);
        Assert.Equal([Roles.Administrator], me.Roles);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("API-WRONGKEY")]
    public async Task A_missing_or_wrong_api_key_is_401(string? key)
    {
        var client = key is null ? _app.CreateClient() : _app.CreateApiClient(key);

        var response = await client.GetAsync("/api/me");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}

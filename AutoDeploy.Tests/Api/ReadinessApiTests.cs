using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AutoDeploy.Domain.Triggers;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AutoDeploy.Tests.Api;

/// <summary><c>GET /api/agent/readiness</c> (the agent's token) and <c>GET /api/machines/{id}/readiness</c> (an API key).</summary>
[Trait("Database", "App")]
public sealed class ReadinessApiTests : IAsyncLifetime
{
    private readonly AutoDeployAppFactory _app = new();
    private HttpClient _client = null!;
    private DeploymentScenario _scenario = null!;

    public async Task InitializeAsync()
    {
        _client = _app.CreateApiClient();
        _scenario = await new DeploymentScenario(_app.Services.GetRequiredService<IDbContextFactory<AutoDeployDbContext>>()).WithEnvironmentAsync();
        await _scenario.WithReleaseAsync(null, DeploymentScenario.Step("Install", "web"));
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task The_agent_asks_with_its_token_and_a_machine_no_trigger_matches_is_ready()
    {
        var (_, token) = await _scenario.AddMachineAsync("web-01", "web");

        var response = await new ProtocolAgent(_app.CreateClient(), token).SendAsync(HttpMethod.Get, "/api/agent/readiness");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var readiness = await response.Content.ReadFromJsonAsync<MachineReadiness>(ProtocolAgent.Json);
        Assert.Equal((ReadinessState.Ready, "'web-01' is ready: no enabled trigger matches it."), (readiness!.State, readiness.Summary));
    }

    [Fact]
    public async Task A_machine_whose_trigger_has_a_release_to_deploy_is_waiting_with_the_item_in_the_json()
    {
        await _scenario.WithSuccessfulDeploymentAndTriggerAsync();
        var (id, _) = await _scenario.AddMachineAsync("web-01", "web");

        var response = await _client.GetAsync($"/api/machines/{id}/readiness");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Waiting", json.RootElement.GetProperty("state").GetString());
        var item = Assert.Single(json.RootElement.GetProperty("items").EnumerateArray());
        Assert.Equal(("Waiting", _scenario.Project.Name, _scenario.Environment.Name, "1.0.0"), (item.GetProperty("state").GetString(),
            item.GetProperty("projectName").GetString(), item.GetProperty("environmentName").GetString(), item.GetProperty("releaseVersion").GetString()));
    }

    [Fact]
    public async Task A_viewer_s_key_may_read_a_machine_s_readiness()
    {
        var (id, _) = await _scenario.AddMachineAsync("web-01", "web");
        using var scope = _app.Services.CreateScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserService>().CreateAsync(new NewUserInput
        {
            Email = $"viewer-{Guid.NewGuid():N}@autodeploy.test", Password = "Some-Passw0rd!", Role = Roles.Viewer,
        });
        var key = await scope.ServiceProvider.GetRequiredService<ApiKeyService>().CreateAsync(user.Value!.Id, "Test key");

        var response = await _app.CreateApiClient(key.Value!.Secret).GetAsync($"/api/machines/{id}/readiness");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Without_an_agent_token_the_agent_endpoint_is_401_problem_details()
    {
        var response = await _app.CreateClient().GetAsync("/api/agent/readiness");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_revoked_token_is_401()
    {
        var response = await new ProtocolAgent(_app.CreateClient(), "not-a-token").SendAsync(HttpMethod.Get, "/api/agent/readiness");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task An_unknown_machine_is_404_problem_details()
    {
        var response = await _client.GetAsync("/api/machines/4242/readiness");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Machine 4242 was not found.", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Without_an_api_key_the_machine_endpoint_is_401()
    {
        var (id, _) = await _scenario.AddMachineAsync("web-01", "web");

        var response = await _app.CreateClient().GetAsync($"/api/machines/{id}/readiness");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("/api/agent/readiness")]
    [InlineData("/api/machines/{id}/readiness")]
    public async Task The_openapi_document_lists_the_endpoint(string path)
    {
        using var document = JsonDocument.Parse(await _app.CreateClient().GetStringAsync("/openapi/v1.json"));

        var get = document.RootElement.GetProperty("paths").GetProperty(path).GetProperty("get");
        Assert.True(get.GetProperty("responses").TryGetProperty("200", out _));
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Projects;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AutoDeploy.Tests.Api;

/// <summary>Nothing erases history: a project that deployed is archived, not deleted, and an archived project takes nothing new.</summary>
[Trait("Database", "App")]
public sealed class ProjectArchiveApiTests(AutoDeployAppFactory app) : IClassFixture<AutoDeployAppFactory>
{
    private readonly HttpClient _client = app.CreateApiClient();

    private IDbContextFactory<AutoDeployDbContext> Factory => app.Services.GetRequiredService<IDbContextFactory<AutoDeployDbContext>>();

    [Fact]
    public async Task A_project_that_deployed_cannot_be_deleted_and_keeps_its_history()
    {
        var scenario = await DeployedAsync();

        var response = await _client.DeleteAsync($"/api/projects/{scenario.Project.Id}");

        Assert.Contains("archive it instead", (await ProblemResponses.ProblemAsync(response, HttpStatusCode.Conflict)).Detail);
        await using var db = await Factory.CreateDbContextAsync();
        Assert.True(await db.Projects.AnyAsync(p => p.Id == scenario.Project.Id));
        Assert.Equal(1, await db.Deployments.CountAsync(d => d.ProjectId == scenario.Project.Id));
    }

    [Fact]
    public async Task Archive_hides_the_project_keeps_its_deployments_and_records_an_event()
    {
        var scenario = await DeployedAsync();
        var id = scenario.Project.Id;

        var response = await _client.PostAsync($"/api/projects/{id}/archive", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("isArchived").GetBoolean());
        Assert.DoesNotContain(await ListedIdsAsync("/api/projects"), i => i == id);
        Assert.Contains(await ListedIdsAsync("/api/projects?includeArchived=true"), i => i == id);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync($"/api/projects/{id}")).StatusCode);
        Assert.Single((await _client.GetFromJsonAsync<JsonElement>($"/api/deployments?projectId={id}")).EnumerateArray());
        await using var db = await Factory.CreateDbContextAsync();
        var archived = await db.Events.SingleAsync(e => e.ProjectId == id && e.Category == EventCategories.ProjectArchived);
        Assert.Equal(AutoDeployAppFactory.AdminEmail, archived.Actor);
    }

    [Fact]
    public async Task An_archived_project_takes_no_release_and_no_deployment_until_restored()
    {
        var scenario = await DeployedAsync();
        var id = scenario.Project.Id;
        await _client.PostAsync($"/api/projects/{id}/archive", null);

        var release = await _client.PostAsJsonAsync($"/api/projects/{id}/releases", new { version = "2.0.0" });
        var deployment = await _client.PostAsJsonAsync("/api/deployments",
            new { releaseId = scenario.Release.Id, environmentId = scenario.Environment.Id });

        Assert.Contains("is archived", (await ProblemResponses.ProblemAsync(release, HttpStatusCode.Conflict)).Detail);
        Assert.Contains("is archived", (await ProblemResponses.ProblemAsync(deployment, HttpStatusCode.Conflict)).Detail);

        var restored = await _client.PostAsync($"/api/projects/{id}/restore", null);
        Assert.False((await restored.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("isArchived").GetBoolean());
        Assert.Equal(HttpStatusCode.Created, (await _client.PostAsJsonAsync($"/api/projects/{id}/releases", new { version = "2.0.0" })).StatusCode);
    }

    [Fact]
    public async Task A_project_that_never_deployed_can_still_be_deleted_and_its_deleted_event_keeps_a_masked_snapshot()
    {
        var scenario = await new DeploymentScenario(Factory).WithReleaseAsync(steps: DeploymentScenario.Step("Install", "web"));

        var response = await _client.DeleteAsync($"/api/projects/{scenario.Project.Id}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await using var db = await Factory.CreateDbContextAsync();
        var deleted = await db.Events.SingleAsync(e => e.ProjectId == scenario.Project.Id && e.Category == EventCategories.Deleted);
        var snapshot = JsonDocument.Parse(deleted.DetailsJson!).RootElement.GetProperty("snapshot");
        Assert.Equal(scenario.Project.Name, snapshot.GetProperty("name").GetString());
        Assert.Equal(ProjectVariable.Mask, snapshot.GetProperty("variables")[0].GetProperty("value").GetString());
        Assert.DoesNotContain("s3cret", deleted.DetailsJson);
    }

    private async Task<DeploymentScenario> DeployedAsync()
    {
        var scenario = await new DeploymentScenario(Factory).WithEnvironmentAsync();
        await scenario.WithReleaseAsync(steps: DeploymentScenario.Step("Install", "web"));
        return await scenario.WithSuccessfulDeploymentAndTriggerAsync();
    }

    private async Task<List<int>> ListedIdsAsync(string path) =>
        [.. (await _client.GetFromJsonAsync<JsonElement>(path)).EnumerateArray().Select(p => p.GetProperty("id").GetInt32())];
}

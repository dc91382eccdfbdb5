using System.Net;
using System.Net.Http.Json;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Tests.Environments;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Identity;
using AutoDeploy.Web.Services;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AutoDeploy.Tests.Api;

/// <summary>One app for the class: every test uses names of its own.</summary>
[Trait("Database", "App")]
public sealed class EnvironmentsApiTests(AutoDeployAppFactory app) : IClassFixture<AutoDeployAppFactory>
{
    private readonly HttpClient _client = app.CreateApiClient();

    [Fact]
    public async Task Post_ValidBody_Is201WithLocationAndTheEnvironment()
    {
        var name = UniqueName();

        var response = await _client.PostAsJsonAsync("/api/environments", new { name = $" {name} ", description = "Staging" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<EnvironmentSummary>();
        Assert.Equal($"/api/environments/{created!.Id}", response.Headers.Location!.OriginalString);
        Assert.Equal((name, "Staging", MachineCounts.None), (created.Name, created.Description, created.Machines));
    }

    [Fact]
    public async Task Post_InvalidBody_Is400WithEveryMessage()
    {
        var response = await _client.PostAsJsonAsync("/api/environments", new { name = "", description = new string('d', 2001) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ValidationProblemDetails>();
        Assert.Equal(["Description must be at most 2000 characters.", "Name is required."], problem!.Errors.Values.SelectMany(m => m).Order());
    }

    [Fact]
    public async Task Post_NameTakenInAnotherCase_Is409()
    {
        var name = UniqueName();
        await CreateAsync(name);

        var response = await _client.PostAsJsonAsync("/api/environments", new { name = name.ToUpperInvariant() });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.Equal($"An environment named '{name.ToUpperInvariant()}' already exists.", problem!.Detail);
    }

    [Fact]
    public async Task Get_UnknownId_Is404()
    {
        var response = await _client.GetAsync("/api/environments/987654");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Get_ListsTheEnvironmentWithItsMachineCounts()
    {
        var created = await CreateAsync(UniqueName());
        await Database.AddMachinesAsync(created.Id, MachineHealthStatus.Healthy, count: 2, seenAt: DateTimeOffset.UtcNow);

        var listed = await _client.GetFromJsonAsync<List<EnvironmentSummary>>("/api/environments");

        Assert.Equal(2, listed!.Single(e => e.Id == created.Id).Machines.Healthy);
    }

    [Fact]
    public async Task Put_CurrentVersion_RenamesIt()
    {
        var created = await CreateAsync(UniqueName());
        var name = UniqueName();

        var response = await _client.PutAsJsonAsync($"/api/environments/{created.Id}", new { name, version = created.Version });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(name, (await _client.GetFromJsonAsync<EnvironmentSummary>($"/api/environments/{created.Id}"))!.Name);
    }

    [Fact]
    public async Task Put_StaleVersion_Is409()
    {
        var created = await CreateAsync(UniqueName());
        await _client.PutAsJsonAsync($"/api/environments/{created.Id}", new { name = UniqueName(), version = created.Version });

        var response = await _client.PutAsJsonAsync($"/api/environments/{created.Id}", new { name = UniqueName(), version = created.Version });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task Delete_WithMachinesInIt_Is409AndKeepsIt()
    {
        var created = await CreateAsync(UniqueName());
        await Database.AddMachinesAsync(created.Id, MachineHealthStatus.Unknown, seenAt: DateTimeOffset.UtcNow);

        var response = await _client.DeleteAsync($"/api/environments/{created.Id}");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync($"/api/environments/{created.Id}")).StatusCode);
    }

    [Fact]
    public async Task Delete_Empty_Is204AndThenGone()
    {
        var created = await CreateAsync(UniqueName());

        var response = await _client.DeleteAsync($"/api/environments/{created.Id}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/api/environments/{created.Id}")).StatusCode);
    }

    [Fact]
    public async Task Get_WithoutApiKey_Is401()
    {
        var response = await app.CreateClient().GetAsync("/api/environments");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Post_AsViewer_Is403AndCreatesNothing()
    {
        var viewer = await app.CreateViewerClientAsync();
        var name = UniqueName();

        var response = await viewer.PostAsJsonAsync("/api/environments", new { name });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain(await _client.GetFromJsonAsync<List<EnvironmentSummary>>("/api/environments") ?? [], e => e.Name == name);
    }

    [Fact]
    public async Task Get_AsViewer_Is200()
    {
        var viewer = await app.CreateViewerClientAsync();

        var response = await viewer.GetAsync("/api/environments");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task OpenApiDocument_ListsTheEnvironmentsEndpoints()
    {
        var document = await _client.GetStringAsync("/openapi/v1.json");

        Assert.Contains("/api/environments/{id}", document);
    }

    private IDbContextFactory<AutoDeployDbContext> Database => app.Services.GetRequiredService<IDbContextFactory<AutoDeployDbContext>>();

    private static string UniqueName() => $"env-{Guid.NewGuid():N}";

    private async Task<EnvironmentSummary> CreateAsync(string name)
    {
        var response = await _client.PostAsJsonAsync("/api/environments", new { name });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<EnvironmentSummary>())!;
    }
}

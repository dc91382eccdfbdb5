using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AutoDeploy.Tests.TestSupport;

namespace AutoDeploy.Tests.Api;

[Trait("Database", "App")]
public sealed class TriggersApiTests(AutoDeployAppFactory app) : IClassFixture<AutoDeployAppFactory>
{
    private readonly HttpClient _client = app.CreateApiClient();

    [Fact]
    public async Task Post_creates_a_trigger_201_and_get_returns_it()
    {
        var projectId = await CreateProjectAsync();

        var response = await _client.PostAsJsonAsync($"/api/projects/{projectId}/triggers",
            new { name = "Web servers", roles = new[] { "web" }, eventGroups = new[] { "MachineAvailableForDeployment" } });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var trigger = await _client.GetFromJsonAsync<JsonElement>(response.Headers.Location);
        Assert.Equal(("Web servers", "web", true), (trigger.GetProperty("name").GetString(),
            trigger.GetProperty("roles")[0].GetString(), trigger.GetProperty("isEnabled").GetBoolean()));
    }

    [Fact]
    public async Task Post_invalid_input_is_400_with_every_message()
    {
        var projectId = await CreateProjectAsync();
        var body = new { name = "", roles = new[] { "Web Server" }, eventGroups = new[] { "MachineOnFire" }, eventCategories = new[] { "DeploymentQueued" } };

        var response = await _client.PostAsJsonAsync($"/api/projects/{projectId}/triggers", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["eventCategories", "eventGroups", "name", "roles"], errors.EnumerateObject().Select(p => p.Name).Order());
        Assert.StartsWith("Unknown event groups: 'MachineOnFire'.", errors.GetProperty("eventGroups")[0].GetString());
    }

    [Fact]
    public async Task Post_without_events_is_400_asking_for_one()
    {
        var projectId = await CreateProjectAsync();

        var response = await _client.PostAsJsonAsync($"/api/projects/{projectId}/triggers", new { name = "Web" });

        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal("Choose at least one event group or category.", errors.GetProperty("eventGroups")[0].GetString());
    }

    [Fact]
    public async Task Post_with_an_unknown_environment_is_400()
    {
        var projectId = await CreateProjectAsync();

        var response = await _client.PostAsJsonAsync($"/api/projects/{projectId}/triggers", Trigger("Web", environmentIds: [987654]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal("Environment 987654 does not exist.", errors.GetProperty("environmentIds")[0].GetString());
    }

    [Fact]
    public async Task Post_with_a_name_taken_in_the_project_is_409()
    {
        var projectId = await CreateProjectAsync();
        await _client.PostAsJsonAsync($"/api/projects/{projectId}/triggers", Trigger("Web"));

        var response = await _client.PostAsJsonAsync($"/api/projects/{projectId}/triggers", Trigger("WEB"));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task Post_to_a_missing_project_is_404() =>
        Assert.Equal(HttpStatusCode.NotFound, (await _client.PostAsJsonAsync("/api/projects/987654/triggers", Trigger("Web"))).StatusCode);

    [Fact]
    public async Task Get_of_a_missing_trigger_is_404() =>
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/api/triggers/987654")).StatusCode);

    [Fact]
    public async Task Get_lists_the_projects_triggers()
    {
        var projectId = await CreateProjectAsync();
        await _client.PostAsJsonAsync($"/api/projects/{projectId}/triggers", Trigger("Workers"));
        await _client.PostAsJsonAsync($"/api/projects/{projectId}/triggers", Trigger("Web"));

        var triggers = await _client.GetFromJsonAsync<JsonElement>($"/api/projects/{projectId}/triggers");

        Assert.Equal(["Web", "Workers"], triggers.EnumerateArray().Select(t => t.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Put_with_a_version_that_is_no_longer_current_is_409()
    {
        var created = await CreateTriggerAsync(await CreateProjectAsync(), "Web");
        var id = created.GetProperty("id").GetInt32();
        var version = created.GetProperty("version").GetInt32();
        await _client.PutAsJsonAsync($"/api/triggers/{id}", Trigger("Web", description: "first", version: version));

        var response = await _client.PutAsJsonAsync($"/api/triggers/{id}", Trigger("Web", description: "second", version: version));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task Delete_is_204_and_then_the_trigger_is_gone()
    {
        var id = (await CreateTriggerAsync(await CreateProjectAsync(), "Web")).GetProperty("id").GetInt32();

        var response = await _client.DeleteAsync($"/api/triggers/{id}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/api/triggers/{id}")).StatusCode);
    }

    [Fact]
    public async Task Put_override_pins_the_release_and_get_lists_it()
    {
        var projectId = await CreateProjectAsync();
        var releaseId = await CreateReleaseAsync(projectId, "1.2.0");
        var environmentId = await CreateEnvironmentAsync();

        var response = await _client.PutAsJsonAsync($"/api/projects/{projectId}/auto-deploy-overrides/{environmentId}", new { releaseId });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var overrides = await _client.GetFromJsonAsync<JsonElement>($"/api/projects/{projectId}/auto-deploy-overrides");
        Assert.Equal((environmentId, "1.2.0"), (overrides[0].GetProperty("environmentId").GetInt32(), overrides[0].GetProperty("releaseVersion").GetString()));
    }

    [Fact]
    public async Task Put_override_with_a_release_of_another_project_is_400()
    {
        var projectId = await CreateProjectAsync();
        var otherRelease = await CreateReleaseAsync(await CreateProjectAsync(), "1.0.0");
        var environmentId = await CreateEnvironmentAsync();

        var response = await _client.PutAsJsonAsync($"/api/projects/{projectId}/auto-deploy-overrides/{environmentId}", new { releaseId = otherRelease });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("releaseId", out _));
    }

    [Fact]
    public async Task Put_override_for_a_missing_environment_is_404()
    {
        var projectId = await CreateProjectAsync();
        var releaseId = await CreateReleaseAsync(projectId, "1.0.0");

        var response = await _client.PutAsJsonAsync($"/api/projects/{projectId}/auto-deploy-overrides/987654", new { releaseId });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Delete_override_is_204_and_a_second_delete_is_404()
    {
        var projectId = await CreateProjectAsync();
        var releaseId = await CreateReleaseAsync(projectId, "1.0.0");
        var environmentId = await CreateEnvironmentAsync();
        await _client.PutAsJsonAsync($"/api/projects/{projectId}/auto-deploy-overrides/{environmentId}", new { releaseId });

        var first = await _client.DeleteAsync($"/api/projects/{projectId}/auto-deploy-overrides/{environmentId}");
        var second = await _client.DeleteAsync($"/api/projects/{projectId}/auto-deploy-overrides/{environmentId}");

        Assert.Equal((HttpStatusCode.NoContent, HttpStatusCode.NotFound), (first.StatusCode, second.StatusCode));
    }

    [Theory]
    [InlineData("GET", "/api/projects/1/triggers")]
    [InlineData("POST", "/api/projects/1/triggers")]
    [InlineData("PUT", "/api/triggers/1")]
    [InlineData("PUT", "/api/projects/1/auto-deploy-overrides/1")]
    [InlineData("DELETE", "/api/projects/1/auto-deploy-overrides/1")]
    public async Task Without_an_api_key_it_is_401(string method, string path)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(new { name = "x", releaseId = 1 }) };

        var response = await app.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static object Trigger(string name, int[]? environmentIds = null, string? description = null, int? version = null) => new
    {
        name, description, version, environmentIds = environmentIds ?? [], eventGroups = new[] { "MachineAvailableForDeployment" },
    };

    private static string Unique(string name) => $"{name}-{Guid.NewGuid():N}"[..20];

    private async Task<int> CreateProjectAsync()
    {
        var steps = new[] { new { name = "Deploy", roles = new[] { "web" }, script = "echo hi" } };
        return await IdOfAsync(await _client.PostAsJsonAsync("/api/projects", new { name = Unique("Shop"), steps }));
    }

    private async Task<int> CreateReleaseAsync(int projectId, string version) =>
        await IdOfAsync(await _client.PostAsJsonAsync($"/api/projects/{projectId}/releases", new { version }));

    private async Task<int> CreateEnvironmentAsync() =>
        await IdOfAsync(await _client.PostAsJsonAsync("/api/environments", new { name = Unique("Env") }));

    private async Task<JsonElement> CreateTriggerAsync(int projectId, string name)
    {
        var response = await _client.PostAsJsonAsync($"/api/projects/{projectId}/triggers", Trigger(name));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<int> IdOfAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AutoDeploy.Tests.TestSupport;

namespace AutoDeploy.Tests.Api;

[Trait("Database", "App")]
public sealed class ReleasesApiTests(AutoDeployAppFactory app) : IClassFixture<AutoDeployAppFactory>
{
    private readonly HttpClient _client = app.CreateApiClient();

    [Fact]
    public async Task Post_creates_a_release_201_and_get_returns_its_snapshot()
    {
        var projectId = await CreateProjectAsync(withStep: true);

        var response = await _client.PostAsJsonAsync($"/api/projects/{projectId}/releases", new { version = "1.4.2", notes = "From CI" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var release = await _client.GetFromJsonAsync<JsonElement>(response.Headers.Location);
        Assert.Equal("1.4.2", release.GetProperty("version").GetString());
        Assert.Equal("Deploy", release.GetProperty("steps")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task Post_with_a_version_that_is_not_semver_is_400_with_the_reason()
    {
        var projectId = await CreateProjectAsync(withStep: true);

        var response = await _client.PostAsJsonAsync($"/api/projects/{projectId}/releases", new { version = "1.4" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal("'1.4' is not a SemVer version such as 1.4.2.", errors.GetProperty("version")[0].GetString());
    }

    [Fact]
    public async Task Post_for_a_project_without_steps_is_400_with_the_reason()
    {
        var projectId = await CreateProjectAsync(withStep: false);

        var response = await _client.PostAsJsonAsync($"/api/projects/{projectId}/releases", new { version = "1.0.0" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("The project has no steps to release.", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Post_of_a_version_the_project_already_has_is_409_naming_it()
    {
        var projectId = await CreateProjectAsync(withStep: true);
        await _client.PostAsJsonAsync($"/api/projects/{projectId}/releases", new { version = "1.4.2" });

        var response = await _client.PostAsJsonAsync($"/api/projects/{projectId}/releases", new { version = "1.4.2" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        Assert.Matches(@"^Release 1\.4\.2 already exists for 'Shop-\w+'\.$", detail);
    }

    [Fact]
    public async Task Get_lists_releases_newest_first()
    {
        var projectId = await CreateProjectAsync(withStep: true);
        foreach (var version in new[] { "1.9.0", "1.10.0", "1.2.0" })
        {
            await _client.PostAsJsonAsync($"/api/projects/{projectId}/releases", new { version });
        }

        var releases = await _client.GetFromJsonAsync<JsonElement>($"/api/projects/{projectId}/releases");

        Assert.Equal(["1.10.0", "1.9.0", "1.2.0"], releases.EnumerateArray().Select(r => r.GetProperty("version").GetString()));
    }

    [Theory]
    [InlineData("/api/projects/987654/releases")]
    [InlineData("/api/releases/987654")]
    public async Task Get_of_something_missing_is_404(string path) =>
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync(path)).StatusCode);

    [Fact]
    public async Task Without_an_api_key_it_is_401()
    {
        var response = await app.CreateClient().PostAsJsonAsync("/api/projects/1/releases", new { version = "1.0.0" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private async Task<int> CreateProjectAsync(bool withStep)
    {
        var steps = withStep ? new[] { new { name = "Deploy", roles = new[] { "web" }, script = "echo hi" } } : [];
        var response = await _client.PostAsJsonAsync("/api/projects", new { name = $"Shop-{Guid.NewGuid():N}", steps });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
    }
}

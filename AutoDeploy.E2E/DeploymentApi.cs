using System.Net.Http.Json;
using System.Text.Json;

namespace AutoDeploy.E2E;

/// <summary>Sets up what a deployment screen shows through the REST API: a project with one bash step, its release, a deployment.</summary>
public static class DeploymentApi
{
    /// <summary>A project named <paramref name="project"/> whose one step "Deploy" runs the script on role web, and its release 1.0.0.</summary>
    public static async Task<int> CreateReleaseAsync(this HttpClient api, string project, string script)
    {
        var created = await api.PostAsJsonAsync("/api/projects", new
        {
            name = project,
            steps = new[] { new { name = "Deploy", roles = new[] { "web" }, script, timeout = "00:05:00" } },
        });
        created.EnsureSuccessStatusCode();
        var projectId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        var release = await api.PostAsJsonAsync($"/api/projects/{projectId}/releases", new { version = "1.0.0" });
        release.EnsureSuccessStatusCode();
        return (await release.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
    }

    /// <summary>Deploys the release to the environment of that name; the deployment's id.</summary>
    public static async Task<int> DeployAsync(this HttpClient api, int releaseId, string environment)
    {
        var environments = await api.GetFromJsonAsync<JsonElement>("/api/environments");
        var environmentId = environments.EnumerateArray().Single(e => e.GetProperty("name").GetString() == environment).GetProperty("id").GetInt32();
        var response = await api.PostAsJsonAsync("/api/deployments", new { releaseId, environmentId });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
    }
}

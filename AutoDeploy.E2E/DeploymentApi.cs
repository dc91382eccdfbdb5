using System.Net.Http.Json;
using System.Text.Json;

namespace AutoDeploy.E2E;

/// <summary>Arranges what the screens show through the REST API, as CI would: projects, their releases, deployments.</summary>
public static class DeploymentApi
{
    /// <summary>A project whose one step "Deploy" runs the script on role web (no step without a script); its id.</summary>
    public static async Task<int> CreateProjectAsync(this HttpClient api, string name, string? script)
    {
        var steps = script is null ? [] : new[] { new { name = "Deploy", roles = new[] { "web" }, script, timeout = "00:05:00" } };
        return await IdOfAsync(await api.PostAsJsonAsync("/api/projects", new { name, steps }));
    }

    /// <summary>A project named <paramref name="project"/> whose one step "Deploy" runs the script on role web, and its release 1.0.0.</summary>
    public static async Task<int> CreateReleaseAsync(this HttpClient api, string project, string script)
    {
        var projectId = await api.CreateProjectAsync(project, script);
        return await IdOfAsync(await api.PostAsJsonAsync($"/api/projects/{projectId}/releases", new { version = "1.0.0" }));
    }

    /// <summary>Release 1.0.0 of the project as it is saved now; its id.</summary>
    public static async Task<int> CreateReleaseAsync(this HttpClient api, int projectId) =>
        await IdOfAsync(await api.PostAsJsonAsync($"/api/projects/{projectId}/releases", new { version = "1.0.0" }));

    /// <summary>Deploys the release to the environment of that name; the deployment's id.</summary>
    public static async Task<int> DeployAsync(this HttpClient api, int releaseId, string environment)
    {
        var environments = await api.GetFromJsonAsync<JsonElement>("/api/environments");
        var environmentId = environments.EnumerateArray().Single(e => e.GetProperty("name").GetString() == environment).GetProperty("id").GetInt32();
        return await IdOfAsync(await api.PostAsJsonAsync("/api/deployments", new { releaseId, environmentId }));
    }

    private static async Task<int> IdOfAsync(HttpResponseMessage created)
    {
        created.EnsureSuccessStatusCode();
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
    }
}

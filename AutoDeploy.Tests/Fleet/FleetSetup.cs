using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Fleet;

namespace AutoDeploy.Tests.Fleet;

/// <summary>Arranges what the fleet shows through the REST API, as an administrator's script would.</summary>
internal static class FleetSetup
{
    public static Task<int> CreateEnvironmentAsync(this HttpClient api, string name) =>
        IdAsync(api.PostAsJsonAsync("/api/environments", new { name }));

    /// <summary>A project with one step "Install" for <paramref name="role"/> running <paramref name="script"/>.</summary>
    public static Task<int> CreateProjectAsync(this HttpClient api, string name, string role, string script = "echo \"installed $AUTODEPLOY_RELEASE\"") =>
        IdAsync(api.PostAsJsonAsync("/api/projects", new { name, steps = new[] { new { name = "Install", roles = new[] { role }, script, timeout = "00:05:00" } } }));

    public static Task<int> CreateReleaseAsync(this HttpClient api, int projectId, string version) =>
        IdAsync(api.PostAsJsonAsync($"/api/projects/{projectId}/releases", new { version }));

    /// <summary>A trigger on MachineAvailableForDeployment for the roles given (none: every role) in every environment.</summary>
    public static Task<int> CreateTriggerAsync(this HttpClient api, int projectId, string name, params string[] roles) =>
        IdAsync(api.PostAsJsonAsync($"/api/projects/{projectId}/triggers", new { name, roles, eventGroups = new[] { "MachineAvailableForDeployment" } }));

    /// <summary>Registers a machine as an agent's <c>register</c> does with an administrator's key; its id and agent token.</summary>
    public static async Task<(int Id, string Token)> RegisterAsync(this HttpClient api, string name, string environment, string role)
    {
        var response = await api.PostAsJsonAsync("/api/machines/register",
            new { name, environments = new[] { environment }, roles = new[] { role }, agentVersion = "1.0.0" });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("machineId").GetInt32(), body.GetProperty("token").GetString()!);
    }

    /// <summary>Queues a deployment of the release (to the machines given, or all) and waits until it ends; its id.</summary>
    public static async Task<int> DeployAndWaitAsync(this HttpClient api, int releaseId, int environmentId, params int[] machineIds)
    {
        var id = await api.DeployAsync(releaseId, environmentId, machineIds);
        await api.WaitForDeploymentEndAsync(id, TimeSpan.FromSeconds(60));
        return id;
    }

    public static Task<int> DeployAsync(this HttpClient api, int releaseId, int environmentId, params int[] machineIds) =>
        IdAsync(api.PostAsJsonAsync("/api/deployments", new { releaseId, environmentId, machineIds = machineIds.Length == 0 ? null : machineIds }));

    public static async Task PinAsync(this HttpClient api, int projectId, int environmentId, int releaseId)
    {
        var response = await api.PutAsJsonAsync($"/api/projects/{projectId}/auto-deploy-overrides/{environmentId}", new { releaseId });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary><c>GET /api/fleet</c> with the query given (e.g. <c>"state=Behind&amp;take=2"</c>), which must answer 200.</summary>
    public static async Task<FleetList> FleetAsync(this HttpClient api, string query = "")
    {
        var response = await api.GetAsync($"/api/fleet?{query}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{query}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<FleetList>(ProtocolAgent.Json))!;
    }

    private static async Task<int> IdAsync(Task<HttpResponseMessage> request)
    {
        var response = await request;
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} " +
            await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
    }
}

using AutoDeploy.Tests.Packages;
using System.Net.Http.Json;
using System.Text.Json;

namespace AutoDeploy.E2E;

/// <summary>
/// A screen of the app signed in: its address, its h1, its document title where that says more than the h1, and the name
/// of its screenshot at phone width where docs/screenshots shows it.
/// </summary>
public sealed record AppRoute(string Path, string Heading, string? DocumentTitle, string? Screenshot = null);

/// <summary>Every signed-in screen with real data behind it, for the tests that walk them all.</summary>
public static class AppRoutes
{
    /// <summary>
    /// Each route with what its h1 says (and its document title where that says more), after arranging one of each thing
    /// through the API: a project with a release deployed to an environment with a machine, a trigger, a policy, a
    /// health-check run, a package, and the trigger's decision about the machine.
    /// </summary>
    public static async Task<List<AppRoute>> ArrangeAsync(E2EFixture fixture)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        using var api = fixture.CreateApiClient();
        var environment = $"Pages {suffix}";
        await IdOfAsync(await api.PostAsJsonAsync("/api/environments", new { name = environment }));
        var project = $"Pages shop {suffix}";
        var projectId = await api.CreateProjectAsync(project, "echo hello");
        var releaseId = await api.CreateReleaseAsync(projectId);
        // The trigger before the machine is enabled again, so that the engine has a decision about it to show.
        var triggerId = await IdOfAsync(await api.PostAsJsonAsync($"/api/projects/{projectId}/triggers",
            new { name = "Web servers", eventGroups = new[] { "MachineAvailableForDeployment" } }));
        var machine = $"pages-{suffix}";
        var registered = await api.PostAsJsonAsync("/api/machines/register",
            new { name = machine, environments = new[] { environment }, roles = new[] { "web" } });
        registered.EnsureSuccessStatusCode();
        var machineId = (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("machineId").GetInt32();
        (await api.PostAsync($"/api/machines/{machineId}/disable", null)).EnsureSuccessStatusCode();
        (await api.PostAsync($"/api/machines/{machineId}/enable", null)).EnsureSuccessStatusCode();
        await DecisionMadeAsync(api, triggerId);
        var deploymentId = await api.DeployAsync(releaseId, environment);
        var policy = $"Pages policy {suffix}";
        var policyId = await IdOfAsync(await api.PostAsJsonAsync("/api/machine-policies", new { name = policy }));
        var package = $"pages.{suffix}";
        using (var body = TestArchives.Body(TestArchives.Zip(("index.html", "hello"))))
        {
            (await api.PostAsync($"/api/packages?fileName={package}.1.0.0.zip", body)).EnsureSuccessStatusCode();
        }
        var healthCheck = await api.PostAsync($"/api/machines/{machineId}/health-check", null);
        healthCheck.EnsureSuccessStatusCode();
        var healthCheckRun = await healthCheck.Content.ReadFromJsonAsync<JsonElement>();

        return
        [
            new("/", "Dashboard", null, "dashboard"),
            new("/activity", "Activity", null),
            new("/audit", "Audit log", null),
            new("/deployments", "Deployments", null),
            new($"/deployments/{deploymentId}", $"Deploy {project} 1.0.0 to {environment}", null, "deployment"),
            new("/environments", "Environments", null),
            new("/fleet", "Fleet", null, "fleet"),
            new($"/health-checks/{healthCheckRun.GetProperty("id").GetInt32()}", healthCheckRun.GetProperty("title").GetString()!, null),
            new("/machine-policies", "Machine policies", null),
            new("/machine-policies/new", "New machine policy", null),
            new($"/machine-policies/{policyId}", policy, null),
            new("/machines", "Deployment targets", null),
            new("/machines/enrolment-tokens", "Enrolment tokens", null),
            new($"/machines/{machineId}", machine, null),
            new("/packages", "Packages", null),
            new($"/packages/{package}", package, $"{package} · Packages"),
            new("/profile", "Profile", null),
            new("/projects", "Projects", null),
            new($"/projects/{projectId}", project, null),
            new($"/projects/{projectId}/triggers/new", "New trigger", null),
            new($"/triggers/{triggerId}", "Web servers", null, "trigger"),
            new($"/releases/{releaseId}", "Release 1.0.0", $"{project} 1.0.0"),
            new("/subscriptions", "Subscriptions", null),
            new("/users", "Users", null),
            new("/not-found", "Not found", null),
        ];
    }

    /// <summary>Waits (up to 30 s) for the engine to have decided something for the trigger.</summary>
    private static async Task DecisionMadeAsync(HttpClient api, int triggerId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while ((await api.GetFromJsonAsync<JsonElement>($"/api/triggers/{triggerId}/decisions", timeout.Token)).GetArrayLength() == 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), timeout.Token);
        }
    }

    private static async Task<int> IdOfAsync(HttpResponseMessage created)
    {
        created.EnsureSuccessStatusCode();
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
    }
}

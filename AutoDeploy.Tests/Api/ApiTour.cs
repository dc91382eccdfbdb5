using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AutoDeploy.Domain.Agents;
using AutoDeploy.Tests.TestSupport;

namespace AutoDeploy.Tests.Api;

/// <summary>
/// Calls every operation of the REST API once or more, as a script would, with the errors a script meets most (401, 403,
/// 404, 400, 409). Asserts only what the next call needs; <see cref="OpenApiConformanceTests"/> judges the answers.
/// </summary>
public sealed class ApiTour(HttpClient admin, HttpClient anonymous, HttpClient viewer, Func<string, HttpClient> agentWith)
{
    private const string Missing = "987654";

    public async Task RunAsync()
    {
        await InstallAsync();
        var (environment, environmentName) = await EnvironmentsAsync();
        var policy = await PoliciesAsync();
        await EnrolmentTokensAsync(environment, policy);
        var (machine, token) = await MachinesAsync(environment, environmentName);
        var (project, release) = await ProjectsAsync();
        var trigger = await TriggersAsync(project, release, environment, machine);
        await DeploymentsAsync(release, environment, agentWith(token));
        await HealthChecksAsync(machine, environment);
        await FleetAsync(environment, project);
        await SubscriptionsAsync(environment, project);
        await UsersAsync();
        await PackagesAsync();
        await anonymous.GetAsync("/api/events");
        await admin.GetAsync("/api/events?take=0");
        await admin.GetAsync("/api/events?after=0&take=10");
        await CleanUpAsync(trigger, project, machine, agentWith(token));
    }

    private async Task InstallAsync()
    {
        await anonymous.GetAsync("/install.sh");
        await anonymous.GetAsync("/agents/linux-x64/autodeploy-agent");
        await anonymous.GetAsync("/api/agent-binaries");
    }

    private async Task<(int Id, string Name)> EnvironmentsAsync()
    {
        var name = $"Tour-{Guid.NewGuid():N}"[..20];
        var created = await IdAsync(await admin.PostAsJsonAsync("/api/environments", new { name }));
        await admin.PostAsJsonAsync("/api/environments", new { name });
        await admin.PostAsJsonAsync("/api/environments", new { name = "" });
        await viewer.PostAsJsonAsync("/api/environments", new { name = "Refused" });
        await anonymous.GetAsync("/api/environments");
        await admin.GetAsync("/api/environments");
        await admin.GetAsync($"/api/environments/{created}");
        await admin.GetAsync($"/api/environments/{Missing}");
        await admin.PutAsJsonAsync($"/api/environments/{created}", new { name = name + "x" });
        await admin.PutAsJsonAsync($"/api/environments/{created}", new { name = name + "y", version = -1 });
        var doomed = await IdAsync(await admin.PostAsJsonAsync("/api/environments", new { name = name + "-gone" }));
        await admin.DeleteAsync($"/api/environments/{doomed}");
        await admin.DeleteAsync($"/api/environments/{Missing}");
        return (created, name + "x");
    }

    private async Task<int> PoliciesAsync()
    {
        var name = $"Tour policy {Guid.NewGuid():N}"[..24];
        var created = await IdAsync(await admin.PostAsJsonAsync("/api/machine-policies", new { name }));
        await admin.PostAsJsonAsync("/api/machine-policies", new { name = "" });
        await admin.GetAsync("/api/machine-policies");
        await admin.GetAsync($"/api/machine-policies/{created}");
        await admin.GetAsync($"/api/machine-policies/{Missing}");
        await admin.PutAsJsonAsync($"/api/machine-policies/{created}", new { name = name + "x" });
        var policies = await admin.GetFromJsonAsync<JsonElement>("/api/machine-policies");
        var defaultId = policies.EnumerateArray().Single(p => p.GetProperty("isDefault").GetBoolean()).GetProperty("id").GetInt32();
        await admin.PostAsync($"/api/machine-policies/{created}/make-default", null);
        await admin.PostAsync($"/api/machine-policies/{defaultId}/make-default", null);
        await admin.DeleteAsync($"/api/machine-policies/{defaultId}");
        var doomed = await IdAsync(await admin.PostAsJsonAsync("/api/machine-policies", new { name = name + "-gone" }));
        await admin.DeleteAsync($"/api/machine-policies/{doomed}");
        return created;
    }

    private async Task EnrolmentTokensAsync(int environment, int policy)
    {
        var created = await IdAsync(await admin.PostAsJsonAsync("/api/enrolment-tokens",
            new { name = "tour", environmentIds = new[] { environment }, roles = new[] { "web" }, policyIds = new[] { policy } }), "token");
        await admin.PostAsJsonAsync("/api/enrolment-tokens", new { name = "" });
        await viewer.GetAsync("/api/enrolment-tokens");
        await admin.GetAsync("/api/enrolment-tokens");
        await admin.GetAsync($"/api/enrolment-tokens/{created}");
        await admin.GetAsync($"/api/enrolment-tokens/{Missing}");
        await admin.PostAsync($"/api/enrolment-tokens/{created}/revoke", null);
    }

    private async Task<(int Id, string Token)> MachinesAsync(int environment, string environmentName)
    {
        var body = new { name = "tour-01", environments = new[] { environmentName }, roles = new[] { "web" }, agentVersion = "1.0.0" };
        var registered = await admin.PostAsJsonAsync("/api/machines/register", body);
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var answer = await registered.Content.ReadFromJsonAsync<JsonElement>();
        var id = answer.GetProperty("machineId").GetInt32();
        await admin.PostAsJsonAsync("/api/machines/register", body);
        await anonymous.PostAsJsonAsync("/api/machines/register", body);
        await admin.GetAsync("/api/machines");
        await admin.GetAsync("/api/machines?take=0");
        await admin.GetAsync($"/api/machines/{id}");
        await admin.GetAsync($"/api/machines/{Missing}");
        await admin.PutAsJsonAsync($"/api/machines/{id}", new { name = "tour-01", environmentIds = new[] { environment }, roles = new[] { "web" } });
        await admin.PutAsJsonAsync($"/api/machines/{id}", new { name = "", environmentIds = new[] { environment }, roles = new[] { "web" } });
        await admin.PostAsync($"/api/machines/{id}/disable", null);
        await admin.PostAsync($"/api/machines/{id}/enable", null);
        await viewer.PostAsync($"/api/machines/{id}/enable", null);
        await admin.PostAsync($"/api/machines/{Missing}/enable", null);
        await admin.GetAsync($"/api/machines/{id}/readiness");
        await admin.GetAsync($"/api/machines/{id}/releases");
        await admin.GetAsync($"/api/machines/{Missing}/releases");
        await admin.GetAsync($"/api/machines/{id}/decisions");
        await admin.GetAsync($"/api/machines/{Missing}/decisions");
        return (id, answer.GetProperty("token").GetString()!);
    }

    private async Task<(int Project, int Release)> ProjectsAsync()
    {
        var name = $"Tour {Guid.NewGuid():N}"[..20];
        var steps = new[] { new { name = "Install", roles = new[] { "web" }, script = "echo hi" } };
        var project = await IdAsync(await admin.PostAsJsonAsync("/api/projects", new { name, steps }));
        await admin.PostAsJsonAsync("/api/projects", new { name });
        await admin.GetAsync("/api/projects");
        await admin.GetAsync($"/api/projects/{project}");
        await admin.GetAsync($"/api/projects/{Missing}");
        await admin.PutAsJsonAsync($"/api/projects/{project}", new { name, steps, description = "toured" });
        await admin.PutAsJsonAsync($"/api/projects/{project}", new { name = "" });
        await admin.PostAsync($"/api/projects/{project}/disable", null);
        await admin.PostAsync($"/api/projects/{project}/enable", null);
        var release = await IdAsync(await admin.PostAsJsonAsync($"/api/projects/{project}/releases", new { version = "1.0.0" }));
        await admin.PostAsJsonAsync($"/api/projects/{project}/releases", new { version = "1.0.0" });
        await admin.PostAsJsonAsync($"/api/projects/{project}/releases", new { version = "not a version" });
        await admin.GetAsync($"/api/projects/{project}/releases");
        await admin.GetAsync($"/api/projects/{Missing}/releases");
        await admin.GetAsync($"/api/releases/{release}");
        await admin.GetAsync($"/api/releases/{Missing}");
        return (project, release);
    }

    private async Task<int> TriggersAsync(int project, int release, int environment, int machine)
    {
        var body = new { name = "Web", roles = new[] { "web" }, eventGroups = new[] { "MachineAvailableForDeployment" } };
        var trigger = await IdAsync(await admin.PostAsJsonAsync($"/api/projects/{project}/triggers", body));
        await admin.PostAsJsonAsync($"/api/projects/{project}/triggers", new { name = "" });
        await admin.GetAsync($"/api/projects/{project}/triggers");
        await admin.GetAsync($"/api/triggers/{trigger}");
        await admin.GetAsync($"/api/triggers/{Missing}");
        await admin.PutAsJsonAsync($"/api/triggers/{trigger}", body);
        await admin.PostAsync($"/api/triggers/{trigger}/disable", null);
        await admin.PostAsync($"/api/triggers/{trigger}/enable", null);
        await admin.GetAsync($"/api/triggers/{trigger}/decisions");
        await admin.GetAsync($"/api/triggers/{trigger}/decisions?take=1000");
        await admin.PostAsJsonAsync($"/api/projects/{project}/triggers/preview", new { trigger = body, machineIds = new[] { machine } });
        await admin.PostAsJsonAsync($"/api/projects/{project}/triggers/preview", new { trigger = body, category = "Nope" });
        await admin.GetAsync($"/api/projects/{project}/auto-deploy-overrides");
        await admin.PutAsJsonAsync($"/api/projects/{project}/auto-deploy-overrides/{environment}", new { releaseId = release });
        await admin.PutAsJsonAsync($"/api/projects/{project}/auto-deploy-overrides/{environment}", new { releaseId = 0 });
        await admin.DeleteAsync($"/api/projects/{project}/auto-deploy-overrides/{environment}");
        return trigger;
    }

    private async Task DeploymentsAsync(int release, int environment, HttpClient agentClient)
    {
        var created = await admin.PostAsJsonAsync("/api/deployments", new { releaseId = release, environmentId = environment });
        var id = await IdAsync(created);
        await admin.PostAsJsonAsync("/api/deployments", new { releaseId = int.Parse(Missing), environmentId = environment });
        var job = await NextJobAsync(agentClient);
        await agentClient.PostAsJsonAsync($"/api/agent/jobs/{job}/log",
            new LogBatch([new LogLine(DateTimeOffset.UtcNow, LogStream.Output, "hi")]), ProtocolAgent.Json);
        await agentClient.PostAsJsonAsync($"/api/agent/jobs/{Missing}/log", new LogBatch([]), ProtocolAgent.Json);
        await agentClient.PostAsJsonAsync($"/api/agent/jobs/{job}/complete", new JobCompletion(JobOutcome.Succeeded, 0, null), ProtocolAgent.Json);
        await agentClient.PostAsJsonAsync($"/api/agent/jobs/{Missing}/complete", new JobCompletion(JobOutcome.Succeeded, 0, null), ProtocolAgent.Json);
        await admin.WaitForDeploymentEndAsync(id);
        await agentClient.PostAsJsonAsync("/api/agent/poll", new PollRequest("1.0.0"), ProtocolAgent.Json);
        await agentClient.PostAsJsonAsync("/api/agent/poll", new PollRequest(new string('9', 60)), ProtocolAgent.Json);
        await agentClient.PostAsJsonAsync("/api/agent/update-failed", new AgentUpdateFailure("2.0.0", "disk full"), ProtocolAgent.Json);
        await agentClient.GetAsync("/api/agent/readiness");
        await agentClient.GetAsync("/api/agent/packages/nothing/1.0.0");
        await anonymous.GetAsync("/api/agent/readiness");
        await admin.GetAsync("/api/deployments");
        await admin.GetAsync("/api/deployments?state=Nope");
        await admin.GetAsync($"/api/deployments/{id}");
        await admin.GetAsync($"/api/deployments/{Missing}");
        await admin.GetAsync($"/api/deployments/{id}/log");
        await admin.GetAsync($"/api/deployments/{id}/log?take=0");
        await admin.PostAsync($"/api/deployments/{id}/cancel", null);
        await admin.PostAsync($"/api/deployments/{Missing}/cancel", null);
        await RetryAsync(release, environment, id, agentClient);
    }

    /// <summary>Retries a deployment that failed on the tour's machine (201), one that did not (409), an unknown one (404), as a viewer (403).</summary>
    private async Task RetryAsync(int release, int environment, int succeeded, HttpClient agentClient)
    {
        var failed = await IdAsync(await admin.PostAsJsonAsync("/api/deployments", new { releaseId = release, environmentId = environment }));
        await agentClient.PostAsJsonAsync($"/api/agent/jobs/{await NextJobAsync(agentClient)}/complete", new JobCompletion(JobOutcome.Failed, 1, "tour"),
            ProtocolAgent.Json);
        await admin.WaitForDeploymentEndAsync(failed);
        var retry = await IdAsync(await admin.PostAsync($"/api/deployments/{failed}/retry", null));
        await agentClient.PostAsJsonAsync($"/api/agent/jobs/{await NextJobAsync(agentClient)}/complete", new JobCompletion(JobOutcome.Succeeded, 0, null),
            ProtocolAgent.Json);
        await admin.WaitForDeploymentEndAsync(retry);
        await admin.PostAsync($"/api/deployments/{succeeded}/retry", null);
        await admin.PostAsync($"/api/deployments/{Missing}/retry", null);
        await viewer.PostAsync($"/api/deployments/{failed}/retry", null);
    }

    /// <summary>Polls until the deployment's job arrives, answering any other job (a health check); returns its id.</summary>
    private static async Task<long> NextJobAsync(HttpClient agentClient)
    {
        AgentJob? job = null;
        await Eventually.TrueAsync(async () =>
        {
            var response = await agentClient.PostAsJsonAsync("/api/agent/poll", new PollRequest("1.0.0"), ProtocolAgent.Json);
            job = response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadFromJsonAsync<AgentJob>(ProtocolAgent.Json) : null;
            if (job is not null && job.Kind != AgentJobKind.RunScript)
            {
                await agentClient.PostAsJsonAsync($"/api/agent/jobs/{job.JobId}/complete", new JobCompletion(JobOutcome.Succeeded, 0, null),
                    ProtocolAgent.Json);
                job = null;
            }
            return job is not null;
        }, because: () => "no deployment job for the machine");
        return job!.JobId;
    }

    private async Task HealthChecksAsync(int machine, int environment)
    {
        var run = await admin.PostAsync($"/api/machines/{machine}/health-check", null);
        await admin.PostAsync($"/api/environments/{environment}/health-check", null);
        await admin.PostAsync($"/api/machines/{Missing}/health-check", null);
        var id = (await run.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        await admin.GetAsync($"/api/health-checks/{id}");
        await admin.GetAsync($"/api/health-checks/{Missing}");
        await admin.GetAsync($"/api/health-checks/{id}/log");
        await admin.GetAsync($"/api/health-checks/{id}/log?take=0");
    }

    private async Task FleetAsync(int environment, int project)
    {
        await admin.GetAsync("/api/fleet");
        await admin.GetAsync($"/api/fleet?environmentId={environment}&projectId={project}&role=web&state=Current&take=1");
        await admin.GetAsync("/api/fleet?after=1-1");
        await admin.GetAsync("/api/fleet?state=Nope&take=0");
        await admin.GetAsync($"/api/fleet?projectId={Missing}");
        await viewer.GetAsync("/api/fleet");
        await anonymous.GetAsync("/api/fleet");
    }

    private async Task SubscriptionsAsync(int environment, int project)
    {
        // Port 9 (discard) on loopback refuses at once: the test event fails fast, and the answer says so.
        var created = await IdAsync(await admin.PostAsJsonAsync("/api/subscriptions",
            new { name = "tour", url = "http://127.0.0.1:9/hook", eventGroups = new[] { "MachineCritical" }, environmentIds = new[] { environment } }),
            "subscription");
        await admin.PostAsJsonAsync("/api/subscriptions", new { name = "", url = "ftp://nope" });
        await admin.PostAsJsonAsync("/api/subscriptions", new { name = "tour", url = "https://example.com/hook" });
        await viewer.GetAsync("/api/subscriptions");
        await anonymous.GetAsync("/api/subscriptions");
        await admin.GetAsync("/api/subscriptions");
        await admin.GetAsync($"/api/subscriptions/{created}");
        await admin.GetAsync($"/api/subscriptions/{Missing}");
        await admin.PutAsJsonAsync($"/api/subscriptions/{created}",
            new { name = "tour", url = "http://127.0.0.1:9/hook", projectIds = new[] { project }, version = 1 });
        await admin.PutAsJsonAsync($"/api/subscriptions/{created}", new { name = "tour", url = "http://127.0.0.1:9/hook", version = 1 });
        await admin.PutAsJsonAsync($"/api/subscriptions/{Missing}", new { name = "tour", url = "http://127.0.0.1:9/hook" });
        await admin.PutAsJsonAsync($"/api/subscriptions/{created}", new { name = "tour", url = "nope" });
        await admin.PostAsync($"/api/subscriptions/{created}/test", null);
        await admin.PostAsync($"/api/subscriptions/{Missing}/test", null);
        await admin.GetAsync($"/api/subscriptions/{created}/deliveries?take=10");
        await admin.GetAsync($"/api/subscriptions/{created}/deliveries?take=0");
        await admin.GetAsync($"/api/subscriptions/{Missing}/deliveries");
        await admin.PostAsync($"/api/subscriptions/{created}/pause", null);
        await admin.PostAsync($"/api/subscriptions/{created}/resume", null);
        await admin.PostAsync($"/api/subscriptions/{Missing}/pause", null);
        await admin.PostAsync($"/api/subscriptions/{Missing}/resume", null);
        await admin.DeleteAsync($"/api/subscriptions/{created}");
        await admin.DeleteAsync($"/api/subscriptions/{Missing}");
    }

    private async Task UsersAsync()
    {
        var user = await admin.PostAsJsonAsync("/api/users", new { email = $"{Guid.NewGuid():N}@tour.test", password = "Passw0rd!-long-enough", role = "Viewer" });
        var id = (await user.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        await admin.PostAsJsonAsync("/api/users", new { email = "not an email" });
        await admin.GetAsync("/api/users");
        await viewer.GetAsync("/api/users");
        await admin.PutAsJsonAsync($"/api/users/{id}/role", new { role = "Deployer" });
        await admin.PutAsJsonAsync($"/api/users/{id}/role", new { role = "Owner" });
        await admin.PutAsJsonAsync($"/api/users/{id}/assignments", new { assignments = new[] { new { role = "Viewer" }, new { role = "ProjectEditor" } } });
        await admin.PutAsJsonAsync($"/api/users/{id}/assignments", new { assignments = Array.Empty<object>() });
        await admin.PutAsJsonAsync("/api/users/no-such-user/assignments", new { assignments = new[] { new { role = "Viewer" } } });
        await admin.PostAsync($"/api/users/{id}/disable", null);
        await admin.PostAsync($"/api/users/{id}/enable", null);
        await admin.PostAsync("/api/users/no-such-user/disable", null);
        await viewer.PostAsync($"/api/users/{id}/enable", null);
        await admin.DeleteAsync($"/api/users/{id}");
        await admin.DeleteAsync($"/api/users/{id}");
        await admin.GetAsync("/api/me");
        await anonymous.GetAsync("/api/me");
        var key = await IdAsync(await admin.PostAsJsonAsync("/api/me/api-keys", new { name = "tour" }), "key");
        await admin.PostAsJsonAsync("/api/me/api-keys", new { name = "" });
        await admin.GetAsync("/api/me/api-keys");
        await admin.DeleteAsync($"/api/me/api-keys/{key}");
        await admin.DeleteAsync($"/api/me/api-keys/{Missing}");
    }

    private async Task PackagesAsync()
    {
        var zip = Packages.TestArchives.Zip(("index.html", "<h1>Tour</h1>"));
        await admin.PostAsync("/api/packages?fileName=tour.1.0.0.zip", new ByteArrayContent(zip));
        await admin.PostAsync("/api/packages?fileName=tour.1.0.0.zip", new ByteArrayContent(zip));
        await admin.PostAsync("/api/packages?fileName=tour.zip", new ByteArrayContent(zip));
        await viewer.PostAsync("/api/packages?fileName=tour.2.0.0.zip", new ByteArrayContent(zip));
        await admin.GetAsync("/api/packages?search=tour");
        await admin.GetAsync("/api/packages?take=0");
        await anonymous.GetAsync("/api/packages");
        await admin.GetAsync("/api/packages/tour");
        await admin.GetAsync("/api/packages/nothing");
        await admin.GetAsync("/api/packages/tour/1.0.0");
        await admin.GetAsync("/api/packages/tour/9.9.9");
        await viewer.GetAsync("/api/packages/tour/1.0.0/download");
        await admin.GetAsync("/api/packages/tour/9.9.9/download");
        await viewer.DeleteAsync("/api/packages/tour/1.0.0");
        await admin.DeleteAsync("/api/packages/tour/1.0.0");
        await admin.DeleteAsync("/api/packages/tour/1.0.0");
        await viewer.GetAsync("/api/backup");
        await admin.GetAsync("/api/backup");
    }

    private async Task CleanUpAsync(int trigger, int project, int machine, HttpClient agentClient)
    {
        await admin.DeleteAsync($"/api/triggers/{trigger}");
        await admin.DeleteAsync($"/api/triggers/{trigger}");
        await admin.GetAsync("/api/projects?includeArchived=true");
        await admin.PostAsync($"/api/projects/{project}/archive", null);
        await admin.PostAsync($"/api/projects/{Missing}/archive", null);
        await admin.PostAsync($"/api/projects/{project}/restore", null);
        await admin.PostAsync($"/api/projects/{Missing}/restore", null);
        await admin.DeleteAsync($"/api/projects/{project}");
        await admin.DeleteAsync($"/api/projects/{Missing}");
        await agentClient.DeleteAsync("/api/agent/registration");
        await admin.DeleteAsync($"/api/machines/{machine}");
    }

    /// <summary>The id in a 201's body (or in the named object inside it).</summary>
    private static async Task<int> IdAsync(HttpResponseMessage created, string? inside = null)
    {
        Assert.True(created.StatusCode == HttpStatusCode.Created, $"{created.RequestMessage!.RequestUri}: {created.StatusCode} {await created.Content.ReadAsStringAsync()}");
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        return (inside is null ? body : body.GetProperty(inside)).GetProperty("id").GetInt32();
    }
}

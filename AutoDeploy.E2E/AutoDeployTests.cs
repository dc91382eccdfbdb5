using System.Net.Http.Json;
using System.Text.Json;
using AutoDeploy.Tests.TestSupport;
using static Microsoft.Playwright.Assertions;

namespace AutoDeploy.E2E;

/// <summary>Machines served by real agents get the release by themselves; the browser shows it.</summary>
[Collection("e2e")]
public sealed class AutoDeployTests(E2EFixture fixture) : IAsyncLifetime
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];
    private readonly E2EAgents _agents = new(fixture);
    private readonly HttpClient _api = fixture.CreateApiClient();
    private readonly string _marker = Path.Combine(Path.GetTempPath(), $"autodeploy-auto-{Guid.NewGuid():N}");
    private int _environmentId;
    private int _releaseId;

    private string Environment => $"Auto {_suffix}";

    public async Task InitializeAsync()
    {
        _environmentId = await PostAsync("/api/environments", new { name = Environment });
        var projectId = await PostAsync("/api/projects", new
        {
            name = $"Auto shop {_suffix}",
            steps = new[]
            {
                new { name = "Deploy", roles = new[] { "web" }, timeout = "00:05:00",
                      script = $"echo \"deploying $AUTODEPLOY_RELEASE on $AUTODEPLOY_MACHINE\"\nwhile [ ! -f {_marker} ]; do sleep 0.1; done" },
            },
        });
        await PostAsync($"/api/projects/{projectId}/triggers", new
        {
            name = "Web servers", eventGroups = new[] { "MachineAvailableForDeployment" }, redeploy = true,
        });
        _releaseId = await PostAsync($"/api/projects/{projectId}/releases", new { version = "1.0.0" });
    }

    public async Task DisposeAsync()
    {
        await _agents.DisposeAsync();
        File.Delete(_marker);
        _api.Dispose();
    }

    [Fact]
    public async Task A_machine_arriving_during_a_deployment_gets_it_when_it_ends_and_re_enabling_redeploys()
    {
        var first = await _agents.StartAsync($"auto-a-{_suffix}", Environment);
        var running = await PostAsync("/api/deployments", new { releaseId = _releaseId, environmentId = _environmentId });
        await WaitForLogAsync(running, $"deploying 1.0.0 on auto-a-{_suffix}");

        var late = await _agents.StartAsync($"auto-b-{_suffix}", Environment);
        await File.WriteAllTextAsync(_marker, "go");
        await ExplainedAsync(late, () => Eventually.TrueAsync(async () => await SuccessfulDeploymentsAsync(late) == 1, TimeSpan.FromSeconds(60)));
        await using var session = await fixture.NewSessionAsync();
        var machines = new MachinesPageObject(session.Page);
        await machines.GotoAsync(late);
        await Expect(machines.Releases).ToContainTextAsync("1.0.0");
        await Expect(machines.ReadinessState).ToHaveAttributeAsync("data-state", "Ready");
        await Expect(machines.ReadinessSummary).ToContainTextAsync($"Auto shop {_suffix} 1.0.0 in {Environment} is installed");
        await machines.DisableAsync();
        await machines.EnableAsync();

        await ExplainedAsync(late, () => Eventually.TrueAsync(async () => await SuccessfulDeploymentsAsync(late) == 2, TimeSpan.FromSeconds(60)));
        Assert.True(await SuccessfulDeploymentsAsync(first) == 1, await HistoryAsync(first));
    }

    /// <summary>A wait that times out says what the server recorded: the events and the deployments with their states.</summary>
    private async Task ExplainedAsync(int machineId, Func<Task> wait)
    {
        try
        {
            await wait();
        }
        catch (TimeoutException timeout)
        {
            var deployments = await _api.GetFromJsonAsync<JsonElement>($"/api/deployments?environmentId={_environmentId}&take=100");
            throw new TimeoutException($"{timeout.Message}\nDeployments: {deployments}\nEvents:\n{await HistoryAsync(machineId)}\n"
                + $"Agents:\n{_agents.Output}", timeout);
        }
    }

    private async Task<string> HistoryAsync(int machineId)
    {
        var events = await _api.GetFromJsonAsync<JsonElement>("/api/events?after=0&take=1000");
        return string.Join("\n", events.GetProperty("events").EnumerateArray()
            .Where(e => !e.TryGetProperty("machineId", out var m) || m.ValueKind != JsonValueKind.Number || m.GetInt32() == machineId)
            .Select(e => $"{e.GetProperty("id")} {e.GetProperty("category")} {e.GetProperty("message")}"));
    }

    private async Task<int> SuccessfulDeploymentsAsync(int machineId)
    {
        var deployments = await _api.GetFromJsonAsync<JsonElement>($"/api/deployments?environmentId={_environmentId}&take=100");
        var count = 0;
        foreach (var deployment in deployments.EnumerateArray().Where(d => d.GetProperty("state").GetString() == "Success"))
        {
            var details = await _api.GetFromJsonAsync<JsonElement>($"/api/deployments/{deployment.GetProperty("id").GetInt32()}");
            count += details.GetProperty("machines").EnumerateArray()
                .Count(m => m.GetProperty("machineId").GetInt32() == machineId && m.GetProperty("state").GetString() == "Success");
        }
        return count;
    }

    private async Task WaitForLogAsync(int deploymentId, string text) =>
        await Eventually.TrueAsync(async () =>
        {
            var log = await _api.GetFromJsonAsync<JsonElement>($"/api/deployments/{deploymentId}/log");
            return log.GetProperty("lines").EnumerateArray().Any(l => l.GetProperty("text").GetString() == text);
        }, TimeSpan.FromSeconds(60));

    private async Task<int> PostAsync(string path, object body)
    {
        var response = await _api.PostAsJsonAsync(path, body);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
    }
}

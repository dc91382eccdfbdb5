using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using AutoDeploy.Tests.TestSupport;
using static Microsoft.Playwright.Assertions;

namespace AutoDeploy.E2E;

/// <summary>
/// Fleet drift with real agents: two machines got 1.0.0, then 2.0.0 went to one of them only; the screen counts one
/// current and one behind, a chip filters to the machine that is behind, and its link opens the machine.
/// </summary>
[Collection("e2e")]
public sealed class FleetTests(E2EFixture fixture) : IAsyncLifetime
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];
    private readonly HttpClient _api = fixture.CreateApiClient();
    private readonly E2EAgents _agents = new(fixture);
    private string Environment => $"Fleet {_suffix}";

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _agents.DisposeAsync();
        _api.Dispose();
    }

    [Fact]
    public async Task The_screen_counts_each_state_and_a_chip_filters_to_the_machines_that_are_behind()
    {
        var environmentId = await PostAsync("/api/environments", new { name = Environment });
        var projectId = await _api.CreateProjectAsync($"Fleet shop {_suffix}", "echo \"installed $AUTODEPLOY_RELEASE\"");
        // Only in this environment: the other tests' machines share the app.
        await PostAsync($"/api/projects/{projectId}/triggers",
            new { name = "Web servers", environmentIds = new[] { environmentId }, eventGroups = new[] { "MachineAvailableForDeployment" } });
        var first = await PostAsync($"/api/projects/{projectId}/releases", new { version = "1.0.0" });
        var current = await _agents.StartAsync($"fleet-a-{_suffix}", Environment);
        var behind = await _agents.StartAsync($"fleet-b-{_suffix}", Environment);
        await DeployAsync(new { releaseId = first, environmentId });
        await DeployAsync(new { releaseId = await PostAsync($"/api/projects/{projectId}/releases", new { version = "2.0.0" }), environmentId,
            machineIds = new[] { current } });
        await using var session = await fixture.NewSessionAsync();
        var fleet = new FleetPageObject(session.Page);

        await fleet.GotoAsync(environmentId, projectId);

        await Expect(session.Page).ToHaveTitleAsync("Fleet · AutoDeploy");
        await Expect(fleet.Heading).ToBeVisibleAsync();
        await Expect(fleet.Count("Current")).ToHaveTextAsync("1");
        await Expect(fleet.Count("Behind")).ToHaveTextAsync("1");
        await Expect(fleet.Rows).ToHaveCountAsync(2);
        await Expect(fleet.Row($"fleet-b-{_suffix}")).ToContainTextAsync("has 1.0.0, not 2.0.0");
        await fleet.Chip("Behind").ClickAsync();
        await Expect(fleet.Chip("Behind")).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(fleet.Rows).ToHaveCountAsync(1);
        await Expect(fleet.Row($"fleet-b-{_suffix}")).ToHaveAttributeAsync("data-state", "Behind");
        await session.Page.ScreenshotAsync(new() { Path = Path.Combine(E2EFixture.ScreenshotFolder, "fleet.png"), FullPage = true });
        await fleet.Row($"fleet-b-{_suffix}").GetByRole(AriaRole.Link, new() { Name = $"fleet-b-{_suffix}" }).ClickAsync();
        await Expect(session.Page).ToHaveURLAsync(new Regex($"/machines/{behind}$"));
        await Expect(session.Page.GetByRole(AriaRole.Heading, new() { Name = $"fleet-b-{_suffix}" })).ToBeVisibleAsync();
    }

    /// <summary>Queues a deployment and waits until it succeeded.</summary>
    private async Task DeployAsync(object request)
    {
        var id = await PostAsync("/api/deployments", request);
        var state = "";
        await Eventually.TrueAsync(async () =>
        {
            var deployment = await _api.GetFromJsonAsync<JsonElement>($"/api/deployments/{id}");
            state = deployment.GetProperty("deployment").GetProperty("state").GetString()!;
            return state is not ("Queued" or "Executing");
        }, TimeSpan.FromSeconds(60), () => $"deployment {id} is {state}; agents:\n{_agents.Output}");
        Assert.Equal("Success", state);
    }

    private async Task<int> PostAsync(string path, object body)
    {
        var response = await _api.PostAsJsonAsync(path, body);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
    }
}

using System.Net.Http.Json;
using static Microsoft.Playwright.Assertions;

namespace AutoDeploy.E2E;

/// <summary>A step made rolling in the step editor, deployed to real agents, its window filling on the deployment page.</summary>
[Collection("e2e")]
public sealed class RollingDeploymentTests(E2EFixture fixture) : IAsyncLifetime
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];
    private readonly E2EAgents _agents = new(fixture);
    private readonly HttpClient _api = fixture.CreateApiClient();
    private readonly string _gate = Path.Combine(Path.GetTempPath(), $"autodeploy-e2e-rolling-{Guid.NewGuid():N}");
    private string Environment => $"Rolling {_suffix}";

    public async Task InitializeAsync() =>
        (await _api.PostAsJsonAsync("/api/environments", new { name = Environment })).EnsureSuccessStatusCode();

    public async Task DisposeAsync()
    {
        await _agents.DisposeAsync();
        _api.Dispose();
        File.Delete(_gate);
    }

    [Fact]
    public async Task A_step_given_a_window_of_two_in_the_editor_runs_two_of_three_machines_at_a_time_and_the_page_shows_the_window_filling()
    {
        var project = $"Rolling shop {_suffix}";
        var projectId = await _api.CreateProjectAsync(project,
            $"echo \"script running on $AUTODEPLOY_MACHINE\"\nwhile [ ! -f {_gate} ]; do sleep 0.1; done\necho \"finished on $AUTODEPLOY_MACHINE\"");
        await using var session = await fixture.NewSessionAsync();
        var projects = new ProjectsPageObject(session.Page);
        await projects.GotoAsync(projectId);
        await projects.OpenEditStepDialogAsync("Deploy");
        await projects.SetRollingWindowAsync(2);
        await projects.SaveStepAsync();
        await Expect(projects.Dialog).ToHaveCountAsync(0);
        await Expect(projects.StepWindow(0)).ToHaveTextAsync("2");
        await projects.SaveAsync();
        await Expect(projects.Saved(project)).ToBeVisibleAsync();
        var releaseId = await _api.CreateReleaseAsync(projectId);
        foreach (var machine in new[] { "a", "b", "c" })
        {
            await _agents.StartAsync($"web-{machine}-{_suffix}", Environment);
        }

        var deployment = new DeploymentPageObject(session.Page);
        await deployment.GotoAsync(await _api.DeployAsync(releaseId, Environment));
        await Expect(deployment.RollingCounts("Deploy")).ToHaveTextAsync("2 running · 0 done · 1 waiting (window 2)");
        await Expect(deployment.Log).ToContainTextAsync($"script running on web-a-{_suffix}");
        await Expect(deployment.Log).ToContainTextAsync($"script running on web-b-{_suffix}");
        await Expect(deployment.Log).Not.ToContainTextAsync($"script running on web-c-{_suffix}");
        await File.WriteAllTextAsync(_gate, "go");

        await Expect(deployment.State).ToHaveAttributeAsync("data-state", "Success", new() { Timeout = 60_000 });
        await Expect(deployment.RollingCounts("Deploy")).ToHaveTextAsync("0 running · 3 done · 0 waiting (window 2)");
        await Expect(deployment.Log).ToContainTextAsync($"Step 1 'Deploy' started on web-c-{_suffix} (3 of 3).");
        await Expect(deployment.Progress).ToHaveTextAsync("3 / 3 machines done");
    }
}
